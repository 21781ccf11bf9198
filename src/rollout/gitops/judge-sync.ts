import type { ArgoApplication } from '../../kube/index.ts';

/** Conditions Argo CD sets when it cannot render, compare or sync the Application: no waiting makes them pass. */
const BLOCKING_CONDITIONS = new Set(['ComparisonError', 'SyncError', 'InvalidSpecError']);

export type SyncVerdict =
  | { kind: 'waiting' }
  | { kind: 'succeeded' }
  | { kind: 'failed'; reason: string };

/** `abc1234`: how people (and Argo CD's UI) write a commit. */
export function shortSha(sha: string | undefined): string {
  return sha ? sha.slice(0, 7) : 'none';
}

/** One line for the card: what Argo CD reports, in its own words. */
export function describeApplication(app: ArgoApplication): string {
  const parts = [`${app.syncStatus ?? 'Unknown'} at ${shortSha(app.syncRevision)}`, `${app.healthStatus ?? 'Unknown'}${app.healthMessage ? ` (${app.healthMessage})` : ''}`];
  const op = app.operation;
  if (op?.phase) parts.push(`sync ${op.phase}${op.revision ? ` at ${shortSha(op.revision)}` : ''}${op.message ? `: ${op.message}` : ''}`);
  for (const c of app.conditions) parts.push(`${c.type}: ${c.message}`);
  return parts.join(' · ');
}

/**
 * Whether Argo CD's conditions speak about the change: once its revision is the one compared, or once Argo CD has
 * compared again (`status.reconciledAt`, whole seconds) since the change reached the branch. Before that they are
 * left from an earlier revision — a SyncError about a person's broken commit that this very deploy may fix.
 */
function conditionsAreFresh(app: ArgoApplication, reached: boolean, writtenAt: number | undefined): boolean {
  if (reached || writtenAt === undefined) return true;
  const at = app.reconciledAt === undefined ? Number.NaN : Date.parse(app.reconciledAt);
  return !Number.isNaN(at) && at >= writtenAt;
}

/**
 * Whether the Application has reached the change (`reached`: its synced revision carries the tag Deckhand set) and
 * ended well: Synced and Healthy at it, with no sync still running. It has failed when Argo CD says so — a sync
 * operation at that revision that ended Failed or Error, a condition that blocks every sync (ComparisonError …)
 * reported since the change was written (`writtenAt`, ms since epoch), or Degraded health once at the revision.
 * Anything else (OutOfSync, Progressing, Missing, Suspended, an older revision) is still on its way; the caller's
 * timeout decides how long that may last.
 */
export function judgeSync(app: ArgoApplication, reached: boolean, writtenAt?: number): SyncVerdict {
  const blocking = conditionsAreFresh(app, reached, writtenAt) ? app.conditions.find((c) => BLOCKING_CONDITIONS.has(c.type)) : undefined;
  if (blocking) return { kind: 'failed', reason: `Argo CD reports ${blocking.type}: ${blocking.message || 'no message'}` };
  const op = app.operation;
  const opAtChange = op !== undefined && (op.revision === undefined ? reached : op.revision === app.syncRevision && reached);
  if (opAtChange && (op.phase === 'Failed' || op.phase === 'Error')) {
    return { kind: 'failed', reason: `the sync ${op.phase === 'Error' ? 'errored' : 'failed'}${op.message ? `: ${op.message}` : ''}` };
  }
  if (!reached) return { kind: 'waiting' };
  if (app.healthStatus === 'Degraded') return { kind: 'failed', reason: `the application is Degraded${app.healthMessage ? `: ${app.healthMessage}` : ''}` };
  if (op?.phase === 'Running' || op?.phase === 'Terminating') return { kind: 'waiting' };
  if (app.syncStatus === 'Synced' && app.healthStatus === 'Healthy') return { kind: 'succeeded' };
  return { kind: 'waiting' };
}
