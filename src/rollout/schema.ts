import { z } from 'zod';
import { DeckhandError } from '../errors.ts';
import type { Deploy } from '../deploy/index.ts';

/*
 * What each rollout driver records in `Deploy.state`, one schema per driver, checked every time a step reads it: a
 * record written by an older Deckhand, or by hand, fails loudly at the step instead of steering a rollout from a
 * wrong field. The state bag is shared with the build and release steps, so each schema reads its own keys and
 * leaves the others alone.
 */

const Epoch = z.number();

const IstioScope = z.object({
  virtualService: z.string(),
  route: z.string().optional(),
  destinationRule: z.string().optional(),
  stableSubset: z.string(),
  canarySubset: z.string(),
}).strict();

/** Everything a router needs to know about the service it steers, recorded when the deploy starts. */
export const TrafficScope = z.object({
  namespace: z.string(),
  /** The stable Deployment and its Service (same name). */
  stable: z.string(),
  canary: z.string(),
  /** The stable Deployment's replicas before the deploy: what an abort restores. */
  replicas: z.number().int(),
  /** The stable Service's selector. */
  serviceSelector: z.record(z.string(), z.string()),
  /** The HTTPRoute carrying the weights (httproute traffic only). */
  route: z.string().optional(),
  /** The VirtualService carrying the weights, and the DestinationRule subsets when weights go to subsets (istio traffic only). */
  istio: IstioScope.optional(),
}).strict();
export type TrafficScope = z.infer<typeof TrafficScope>;

const RouteBackend = z.object({ name: z.string(), weight: z.number().optional() }).strict();
const IstioRoute = z.object({
  name: z.string().optional(),
  destinations: z.array(z.object({ host: z.string(), subset: z.string().optional(), weight: z.number().optional() }).strict()),
}).strict();
const IstioSubset = z.object({ name: z.string(), labels: z.record(z.string(), z.string()) }).strict();

/** What the router must put back on abort, read before anything changed. */
export const TrafficSnapshot = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('replicas'), stableReplicas: z.number().int() }).strict(),
  z.object({ kind: z.literal('httproute'), route: z.string(), rules: z.array(z.array(RouteBackend)) }).strict(),
  /** Istio: every HTTP route of the VirtualService and, in subset mode, every subset of the DestinationRule, as read. */
  z.object({ kind: z.literal('istio'), virtualService: z.string(), routes: z.array(IstioRoute), destinationRule: z.string().optional(), subsets: z.array(IstioSubset).optional() }).strict(),
]);
export type TrafficSnapshot = z.infer<typeof TrafficSnapshot>;

/** Where traffic stands after `setWeight`: the share asked for, and what the cluster gives. */
export const WeightPlan = z.object({
  requested: z.number(),
  /** The canary's real share of requests, in percent (rounded). */
  actual: z.number(),
  canaryReplicas: z.number().int(),
  stableReplicas: z.number().int(),
  /** How the share is reached, for the card. */
  how: z.string(),
}).strict();
export type WeightPlan = z.infer<typeof WeightPlan>;

/** Why a canary is being taken down: the check that failed (with its value), a deadline, or a person. */
export const CanaryFailure = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('check'), check: z.string(), value: z.number().optional(), threshold: z.number(), unit: z.enum(['ratio', 'ms', 'count']), detail: z.string().optional(), text: z.string() }).strict(),
  z.object({ kind: z.literal('deadline'), text: z.string() }).strict(),
  z.object({ kind: z.literal('manual'), by: z.string(), text: z.string() }).strict(),
  /** An alert or error tracker asked (src/signals/): rolled back, not aborted by a person. */
  z.object({ kind: z.literal('signal'), text: z.string() }).strict(),
]);
export type CanaryFailure = z.infer<typeof CanaryFailure>;

/** What a canary deploy records. What people ask of it from chat is `Deploy.steering`, not here. */
export const CanaryState = z.object({
  fromImage: z.string().optional(),
  toImage: z.string().optional(),
  scope: TrafficScope.optional(),
  /** The service before the deploy: what an abort puts back. */
  snapshot: TrafficSnapshot.optional(),
  /** Traffic percentages; the last is 100. */
  schedule: z.array(z.number()).optional(),
  stepIndex: z.number().int().optional(),
  plan: WeightPlan.optional(),
  weightSetAt: Epoch.optional(),
  holdUntil: Epoch.optional(),
  nextAnalysisAt: Epoch.optional(),
  /** Verdict of the latest analysis round of this step (reset when the weight changes). */
  lastVerdict: z.enum(['pass', 'fail', 'inconclusive', 'failing']).optional(),
  streaks: z.record(z.string(), z.number()).optional(),
  rounds: z.number().int().optional(),
  /** Paused because analysis was inconclusive: a person decides (Promote / Abort). */
  pausedInconclusive: z.boolean().optional(),
  failure: CanaryFailure.optional(),
  /** When the failing evaluation happened, and when traffic was back on stable (ms since epoch). */
  failedAt: Epoch.optional(),
  trafficRestoredAt: Epoch.optional(),
  /** Set once the stable Deployment was given the new image (full promotion started). */
  promotingAt: Epoch.optional(),
  /** Where a promote request sends `advance` (the request itself, in `Deploy.steering`, is cleared when taken). */
  promoteTarget: z.enum(['next', 'full']).optional(),
  /** When the abort's clean-up was done: the wait for stable to be whole again counts from here. */
  abortCleanedAt: Epoch.optional(),
  /** Soak: when the canary was brought to full size beside stable (its deadline counts from here). */
  soakPreparedAt: Epoch.optional(),
  /**
   * Soak with a replica ratio: the Service selects only the canary's pods (stable is kept at size, unselected); an
   * abort puts the selector back first. False again once the selector is back.
   */
  soakSwitched: z.boolean().optional(),
});
export type CanaryState = z.infer<typeof CanaryState>;

/** What a blue-green deploy records. */
export const BlueGreenState = z.object({
  fromImage: z.string().optional(),
  toImage: z.string().optional(),
  namespace: z.string().optional(),
  /** The live (blue) Deployment and its Service, both named after the service's deployment. */
  stable: z.string().optional(),
  /** The new colour: `<deployment>-green`, full size, selected only by its own labels until the switch. */
  green: z.string().optional(),
  replicas: z.number().int().optional(),
  /** The Service's selector before the switch: what a rollback puts back. */
  selector: z.record(z.string(), z.string()).optional(),
  greenLabels: z.record(z.string(), z.string()).optional(),
  readySince: Epoch.optional(),
  createdAt: Epoch.optional(),
  switchedAt: Epoch.optional(),
  keepUntil: Epoch.optional(),
  streaks: z.record(z.string(), z.number()).optional(),
  failure: z.string().optional(),
  failedAt: Epoch.optional(),
  trafficRestoredAt: Epoch.optional(),
  foldStartedAt: Epoch.optional(),
  pausedInconclusive: z.boolean().optional(),
});
export type BlueGreenState = z.infer<typeof BlueGreenState>;

/** What a rolling deploy records. */
export const RollingState = z.object({
  fromImage: z.string().optional(),
  fromRevision: z.number().int().optional(),
  toImage: z.string().optional(),
  appliedAt: Epoch.optional(),
  failure: z.string().optional(),
  rollbackRevision: z.number().int().optional(),
  /**
   * Soak: a copy of the Deployment running the previous version at full size, whose pods the Service does not
   * select (`podLabels`); a switch back points the Service at them (`podLabels` without the track label) until the
   * Deployment itself is undone, then back at `serviceSelector`.
   */
  previous: z.object({ name: z.string(), podLabels: z.record(z.string(), z.string()), serviceSelector: z.record(z.string(), z.string()) }).strict().optional(),
  previousCreatedAt: Epoch.optional(),
  /** When the abort was asked (an alert's arrival) and when the Service was back on the previous version. */
  failedAt: Epoch.optional(),
  trafficRestoredAt: Epoch.optional(),
  /** How the rollback ends once the warm copy is cleared away (`soak_restore`). */
  finalPhase: z.enum(['aborted', 'rolled_back']).optional(),
  finalSummary: z.string().optional(),
});
export type RollingState = z.infer<typeof RollingState>;

/** What a `/rollback` records. */
export const RollbackState = z.object({
  fromImage: z.string().optional(),
  /** Revision to undo to; absent when the target version has no ReplicaSet left and is set as a new image. */
  toRevision: z.number().int().optional(),
  toImage: z.string().optional(),
  appliedAt: Epoch.optional(),
});
export type RollbackState = z.infer<typeof RollbackState>;

/** Reads a driver's state from the record, checked against its schema. */
export function readState<S extends z.ZodType>(schema: S, d: Deploy, driver: string): z.infer<S> {
  const parsed = schema.safeParse(d.state);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DeckhandError('deploy_invalid_state', `Deploy #${d.id} has a ${driver} state Deckhand cannot read (${issue?.path.join('.') || 'state'}: ${issue?.message ?? 'invalid'}); it needs a person.`);
  }
  return parsed.data;
}
