import { badRequest } from './api-error.ts';
import type { Pod } from './kube-types.ts';

/**
 * The `pods/log` subresource: there are no real containers, so the "log" is what the kubelet would have
 * done — start lines, and a crash line per restart for a faulty image. Enough for `kubectl logs` to show
 * something truthful about the simulated pod.
 */
export function renderPodLog(pod: Pod, query: URLSearchParams): string {
  const containers = pod.spec.containers;
  const name = query.get('container') ?? (containers.length === 1 ? containers[0]?.name : undefined);
  if (!name) {
    throw badRequest(`a container name must be specified for pod ${pod.metadata.name ?? ''}, choose one of: [${containers.map((c) => c.name).join(' ')}]`);
  }
  const container = containers.find((c) => c.name === name);
  if (!container) throw badRequest(`container ${name} is not valid for pod ${pod.metadata.name ?? ''}`);
  const status = pod.status?.containerStatuses?.find((s) => s.name === name);
  const started = String(status?.state.running?.startedAt ?? status?.lastState?.terminated?.startedAt ?? pod.status?.startTime ?? '');
  const lines: string[] = [];
  if (status?.state.running) {
    lines.push(`${started} [deckhand-sim] container ${name} started from image ${container.image ?? ''}`, `${started} [deckhand-sim] listening, ready to serve`);
  } else if (status && (status.restartCount > 0 || status.state.waiting?.reason === 'CrashLoopBackOff')) {
    lines.push(`${started} [deckhand-sim] container ${name} started from image ${container.image ?? ''}`, `${started} [deckhand-sim] fatal: image ${container.image ?? ''} is marked faulty in the simulated cluster; exiting with code 1`);
  } else {
    throw badRequest(`container "${name}" in pod "${pod.metadata.name ?? ''}" is waiting to start: ContainerCreating`);
  }
  const tail = query.get('tailLines');
  const selected = tail === null ? lines : lines.slice(-Math.max(0, Number(tail)));
  return selected.map((l) => `${l}\n`).join('');
}
