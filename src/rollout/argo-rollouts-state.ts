import { z } from 'zod';
import type { Deploy } from '../deploy/index.ts';
import { readState } from './schema.ts';

/**
 * What the Argo Rollouts driver records in `Deploy.state`, checked every time a step reads it. Argo's controller
 * owns the rollout itself; Deckhand records only what it wrote and what it has already said.
 */
export const ArgoRolloutsState = z.object({
  namespace: z.string().optional(),
  rollout: z.string().optional(),
  fromImage: z.string().optional(),
  toImage: z.string().optional(),
  /** `metadata.generation` after our write: the controller's report counts once it has observed this one. */
  generation: z.number().int().optional(),
  /** When the image (or the undo) was written, ms since epoch. */
  appliedAt: z.number().optional(),
  /** Rollback: the revision `undo` went back to (absent when the version was set as a new image). */
  toRevision: z.number().int().optional(),
  /**
   * A promote asked for and not yet sent, with what the Rollout looked like when it was asked: the promote step sends
   * it only while the Rollout still stands there, so a step re-run after a crash never promotes twice.
   */
  promoting: z.object({
    full: z.boolean(),
    stepIndex: z.number().int().optional(),
    paused: z.boolean(),
    pauseReasons: z.number().int(),
  }).strict().optional(),
  /** Who asked Argo to abort, and why (`signal`: an alert): the deploy then ends `aborted` (`rolled_back`) rather than `failed`. */
  abortedBy: z.object({ by: z.string(), text: z.string(), at: z.number(), signal: z.boolean() }).strict().optional(),
  /** A person's pause (`Deploy.steering.paused`) was sent to the Rollout; cleared by a resume or a promote. */
  pauseSent: z.boolean().optional(),
  /** The Rollout waits for a person (a pause step without a duration, a person's pause, inconclusive analysis). */
  awaitingPerson: z.boolean().optional(),
  /** The last report written to the card, so an unchanged Rollout does not repeat it every poll. */
  lastReport: z.string().optional(),
});
export type ArgoRolloutsState = z.infer<typeof ArgoRolloutsState>;

export function argoRolloutsState(d: Deploy): ArgoRolloutsState {
  return readState(ArgoRolloutsState, d, 'argo-rollouts');
}
