import type { ServerResponse } from 'node:http';
import type { Pod } from './kube-types.ts';
import type { ObjectStore } from './object-store.ts';
import { renderPodLog } from './pod-logs.ts';
import type { ResourceType } from './resource-registry.ts';
import { storageKey } from './resource-registry.ts';

/**
 * `kubectl logs -f`: the log so far, then a line per crash as the kubelet restarts a faulty container, until the
 * pod is gone or the client hangs up. Returns a function that ends the stream (used on shutdown).
 */
export function servePodLogFollow(store: ObjectStore, pods: ResourceType, pod: Pod, query: URLSearchParams, res: ServerResponse): () => void {
  const initial = renderPodLog(pod, query);
  const container = query.get('container') ?? pod.spec.containers[0]?.name ?? '';
  const restartsOf = (p: Pod) => p.status?.containerStatuses?.find((s) => s.name === container)?.restartCount ?? 0;
  let restarts = restartsOf(pod);
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
  res.write(initial);
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    unsubscribe();
    res.end();
  };
  const unsubscribe = store.subscribe((event) => {
    if (event.storageKey !== storageKey(pods) || event.object.metadata.uid !== pod.metadata.uid) return;
    if (event.type === 'DELETED') return end();
    const now = restartsOf(event.object as Pod);
    if (now <= restarts) return;
    restarts = now;
    const image = pod.spec.containers.find((c) => c.name === container)?.image ?? '';
    const at = new Date(store.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    res.write(`${at} [deckhand-sim] container ${container} restarted (restart ${now}) from image ${image}\n${at} [deckhand-sim] fatal: image ${image} is marked faulty in the simulated cluster; exiting with code 1\n`);
  });
  res.on('close', end);
  return end;
}
