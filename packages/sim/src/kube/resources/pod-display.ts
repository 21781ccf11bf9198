import { humanDuration } from '../human-duration.ts';
import type { Pod } from '../kube-types.ts';

/** `1/1`: ready containers over all containers, as kubectl's printPod computes it. */
export function podReadyCount(pod: Pod): string {
  const statuses = pod.status?.containerStatuses ?? [];
  const ready = statuses.filter((s) => s.ready && s.state.running).length;
  return `${ready}/${pod.spec.containers.length}`;
}

/** The STATUS column: the phase, overridden by a waiting/terminated reason (CrashLoopBackOff), or Terminating. */
export function podStatusReason(pod: Pod): string {
  let reason: string = pod.status?.phase ?? 'Unknown';
  const statuses = pod.status?.containerStatuses ?? [];
  for (let i = statuses.length - 1; i >= 0; i -= 1) {
    const state = statuses[i]?.state ?? {};
    const waitingReason = state.waiting?.reason;
    const terminatedReason = state.terminated?.reason;
    if (typeof waitingReason === 'string' && waitingReason !== '') reason = waitingReason;
    else if (typeof terminatedReason === 'string' && terminatedReason !== '') reason = terminatedReason;
  }
  if (pod.metadata.deletionTimestamp) reason = 'Terminating';
  return reason;
}

/** The RESTARTS column: `0`, or `3 (12s ago)` once a container has restarted. */
export function podRestarts(pod: Pod, now: number): string {
  let restarts = 0;
  let lastRestart: number | undefined;
  for (const status of pod.status?.containerStatuses ?? []) {
    restarts += status.restartCount;
    const finishedAt = status.lastState?.terminated?.finishedAt;
    if (typeof finishedAt === 'string') lastRestart = Math.max(lastRestart ?? 0, Date.parse(finishedAt));
  }
  return restarts > 0 && lastRestart !== undefined ? `${restarts} (${humanDuration(now - lastRestart)} ago)` : String(restarts);
}
