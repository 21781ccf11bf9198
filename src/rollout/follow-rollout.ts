import type { RolloutProgress } from '../deploy/index.ts';
import type { KubeClient, WorkloadStatus } from '../kube/index.ts';
import { assessRollout, type RolloutAssessment } from './assess-rollout.ts';

export type FollowOutcome =
  | { kind: 'complete'; status: WorkloadStatus }
  | { kind: 'failed'; status: WorkloadStatus; message: string }
  | { kind: 'deadline'; status: WorkloadStatus }
  /** A person asked to abort. */
  | { kind: 'aborted'; status: WorkloadStatus }
  /** The process is shutting down; the step will be run again elsewhere. */
  | { kind: 'interrupted'; status: WorkloadStatus };

export interface FollowOptions {
  kube: KubeClient;
  namespace: string;
  name: string;
  /** Epoch ms after which Deckhand gives up even if the cluster never reports ProgressDeadlineExceeded. */
  deadlineAt: number;
  onProgress(progress: RolloutProgress, message: string): void;
  /** Checked on every change and once a second: return true to stop following (an abort was requested). */
  shouldStop(): Promise<boolean>;
  signal: AbortSignal;
}

/**
 * Follows a Deployment by watch until its rollout completes or fails. A watch that closes (server timeout,
 * network blip) is reopened from the last seen resourceVersion; nothing is polled except the stop check.
 */
export async function followRollout(o: FollowOptions): Promise<FollowOutcome> {
  let status = await o.kube.readDeployment(o.namespace, o.name);
  let lastKey = '';
  const judge = (s: WorkloadStatus): RolloutAssessment => {
    const a = assessRollout(s);
    const key = `${a.kind}:${a.progress.updated}/${a.progress.ready}/${a.progress.available}/${a.progress.desired}`;
    if (key !== lastKey) { lastKey = key; o.onProgress(a.progress, a.message); }
    return a;
  };
  const verdict = (a: RolloutAssessment): FollowOutcome | undefined => {
    if (a.kind === 'complete') return { kind: 'complete', status };
    if (a.kind === 'failed') return { kind: 'failed', status, message: a.message };
    return undefined;
  };
  const first = verdict(judge(status));
  if (first) return first;

  while (!o.signal.aborted) {
    const round = new AbortController();
    const abortRound = (): void => round.abort();
    o.signal.addEventListener('abort', abortRound, { once: true });
    let outcome: FollowOutcome | undefined;
    const finish = (r: FollowOutcome): void => { outcome ??= r; round.abort(); };
    const ticker = setInterval(() => {
      if (Date.now() > o.deadlineAt) finish({ kind: 'deadline', status });
      else void o.shouldStop().then((stop) => { if (stop) finish({ kind: 'aborted', status }); }, () => {});
    }, 1000);
    try {
      await o.kube.watchDeployment(o.namespace, o.name, status.resourceVersion, (s) => {
        status = s;
        const r = verdict(judge(s));
        if (r) finish(r);
      }, round.signal);
    } finally {
      clearInterval(ticker);
      o.signal.removeEventListener('abort', abortRound);
    }
    if (outcome) return outcome;
    if (o.signal.aborted) break;
    // The watch ended on its own: re-read so no change between watches is missed, then watch again.
    status = await o.kube.readDeployment(o.namespace, o.name);
    const r = verdict(judge(status));
    if (r) return r;
  }
  return { kind: 'interrupted', status };
}
