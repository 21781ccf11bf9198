import { z } from 'zod';
import { BuildProgress, type Deploy, type Step } from '../deploy/index.ts';
import { DeckhandError, isDeckhandError } from '../errors.ts';

/**
 * What the build steps have recorded, under `deploy.state.build`. Each step reads it first so a re-run (after
 * a crash or a redelivered job) sees its own effect and does not repeat it.
 */
export const BuildState = z.object({
  /** The image was missing, so a build is part of this deploy. */
  needed: z.boolean().optional(),
  /** Our clock when the build was decided: a run created after it may be ours (found again after a crash). */
  requestedAt: z.string().optional(),
  /** GitHub's clock at the dispatch; set once the one dispatch happened. */
  dispatchedAt: z.string().optional(),
  runId: z.number().optional(),
  runUrl: z.string().optional(),
  status: BuildProgress.shape.status.optional(),
  conclusion: z.string().nullable().optional(),
  jobsDone: z.number().optional(),
  jobsTotal: z.number().optional(),
  /** ETags of the last fresh run and jobs answers, for conditional polls. */
  runEtag: z.string().optional(),
  jobsEtag: z.string().optional(),
  /**
   * Which read the next poll makes: one request per poll, so run and jobs take turns. A `workflow_run` webhook sets
   * it to `run`, so the woken step reads the run's outcome from the API.
   */
  nextPoll: z.enum(['run', 'jobs']).optional(),
  /** Current poll interval (backs off while nothing changes). */
  pollMs: z.number().optional(),
  /** When the last request for this run was made: polls are never closer than the interval, even when re-enqueued. */
  lastPollAt: z.number().optional(),
});
export type BuildState = z.infer<typeof BuildState>;

/** The build's recorded state, checked against its schema. */
export function buildStateOf(d: Deploy): BuildState {
  const parsed = BuildState.safeParse(d.state.build ?? {});
  if (!parsed.success) throw new DeckhandError('deploy_invalid_state', `Deploy #${d.id} has a build state Deckhand cannot read (${parsed.error.issues[0]?.path.join('.') ?? 'build'}); it needs a person.`);
  return parsed.data;
}

/** The state change that records `change` on top of what the deploy has (state merges one level deep). */
export function withBuild(d: Deploy, change: Partial<BuildState>): { build: BuildState } {
  return { build: { ...buildStateOf(d), ...change } };
}

/** A forge's "slow down" (GitHub's or GitLab's), which a step waits out instead of failing. */
export function isRateLimited(err: unknown): err is DeckhandError {
  return isDeckhandError(err, 'github_rate_limited') || isDeckhandError(err, 'gitlab_rate_limited');
}

/**
 * A step that turns a forge's "slow down" into a delayed re-run of itself after the time the forge named, instead
 * of failing the deploy or retrying at once.
 */
export function waitingOutRateLimits(step: Step): Step {
  return async (ctx) => {
    try {
      return await step(ctx);
    } catch (err) {
      if (isRateLimited(err)) {
        ctx.emit({ kind: 'note', deploy: ctx.deploy, message: err.userMessage });
        return { kind: 'wait', delayMs: Math.max(1000, err.retryAfterMs ?? 60_000) };
      }
      throw err;
    }
  };
}

/** Short text for the card, e.g. `Building v1.5.2 · 1/2 jobs · <link>`. */
export function describeBuild(version: string, b: BuildProgress): string {
  const link = b.url ? ` · ${b.url}` : '';
  const jobs = b.jobsTotal ? ` · ${b.jobsDone ?? 0}/${b.jobsTotal} jobs` : '';
  switch (b.status) {
    case 'requested': return `Building ${version}: the image is not in the registry yet; build requested${link}`;
    case 'queued': return `Build of ${version} queued${link}`;
    case 'in_progress': return `Building ${version}${jobs}${link}`;
    case 'completed': return `Build of ${version} ${b.conclusion === 'success' ? 'succeeded' : `ended: ${b.conclusion ?? 'unknown'}`}${jobs}${link}`;
    default: {
      const never: never = b.status;
      return String(never);
    }
  }
}
