/**
 * The Kubernetes client's own cost per call: 1,000 `readNamespacedDeployment` calls (50 at a time) against the
 * simulated API server, through client-node's default HTTP library (undici fetch) and through Deckhand's
 * (src/kube/request-http-library.ts, undici request), alternating, three rounds each. Writes
 * bench/results/kube-client.json.
 */
import { AppsV1Api, KubeConfig } from '@kubernetes/client-node';
import { startSimCluster } from '@deckhand/sim/kube';
import { makeApiClient } from '../src/kube/request-http-library.ts';
import { writeResult } from './results.ts';

const sim = await startSimCluster({ seed: [{ namespace: 'bench', name: 'api', container: 'app', image: 'registry.local/api:v1', replicas: 2 }], readyDelayMs: 10 });
const kc = new KubeConfig();
kc.loadFromString(sim.kubeconfig());
const libraries = { fetch: kc.makeApiClient(AppsV1Api), request: makeApiClient(kc, AppsV1Api) };
const wall: Record<string, number[]> = { fetch: [], request: [] };
for (let round = 0; round < 4; round++) {
  for (const [name, api] of Object.entries(libraries)) {
    const t0 = performance.now();
    for (let batch = 0; batch < 20; batch++) await Promise.all(Array.from({ length: 50 }, () => api.readNamespacedDeployment({ name: 'api', namespace: 'bench' })));
    // The first round warms both up (connections, JIT) and is not counted.
    if (round > 0) wall[name]!.push(Math.round(performance.now() - t0));
  }
}
await sim.close();
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
await writeResult('kube-client', {
  calls: 1000, concurrency: 50,
  msPer1000Reads: { clientNodeFetch: median(wall.fetch!), deckhandRequest: median(wall.request!), rounds: wall },
  note: 'wall time in one process, the simulated API server included',
});
