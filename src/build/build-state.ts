import type { BuildProgress, Deploy, Step } from '../deploy/index.ts';
import { isDeckhandError } from '../errors.ts';

/**
 * What the build steps have recorded, under `deploy.state.build`. Each step reads it first so a re-run (after
 * a crash or a redelivered job) sees its own effect and does not repeat it.
 */
export interface BuildState {
  /** The image was missing, so a build is part of this deploy. */
  needed?: boolean;
  /** Our clock when the build was decided: a run created after it may be ours (found again after a crash). */
  requestedAt?: string;
  /** GitHub's clock at the dispatch; set once the one dispatch happened. */
  dispatchedAt?: string;
  runId?: number;
  runUrl?: string;
  status?: BuildProgress['status'];
  conclusion?: string | null;
  jobsDone?: number;
  jobsTotal?: number;
  /** ETags of the last fresh run and jobs answers, for conditional polls. */
  runEtag?: string;
  jobsEtag?: string;
  /**
   * Which read the next poll makes: one request per poll, so run and jobs take turns. A `workflow_run` webhook sets
   * it to `run`, so the woken step reads the run's outcome from the API.
   */
  nextPoll?: 'run' | 'jobs';
  /** Current poll interval (backs off while nothing changes). */
  pollMs?: number;
  /** When the last request for this run was made: polls are never closer than the interval, even when re-enqueued. */
  lastPollAt?: number;
}

export function buildStateOf(d: Deploy): BuildState {
  const s = d.state.build;
  return typeof s === 'object' && s !== null ? s as BuildState : {};
}

/** The state change that records `change` on top of what the deploy has (state merges one level deep). */
export function withBuild(d: Deploy, change: Partial<BuildState>): { build: BuildState } {
  return { build: { ...buildStateOf(d), ...change } };
}

/**
 * A step that turns GitHub's "slow down" into a delayed re-run of itself after the time GitHub named, instead
 * of failing the deploy or retrying at once.
 */
export function waitingOutRateLimits(step: Step): Step {
  return async (ctx) => {
    try {
      return await step(ctx);
    } catch (err) {
      if (isDeckhandError(err, 'github_rate_limited')) {
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
