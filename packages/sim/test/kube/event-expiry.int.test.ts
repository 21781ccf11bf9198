import { describe, expect, it } from 'vitest';
import { DEFAULT_EVENT_TTL_MS } from '../../src/kube/controllers/event-expiry.ts';
import { startSimCluster } from '../../src/kube/sim-cluster.ts';

describe('Events of the running cluster (kube-apiserver --event-ttl)', () => {
  it('keeps an hour by default, and the running cluster sweeps on its own', async () => {
    expect(DEFAULT_EVENT_TTL_MS).toBe(3_600_000);
    const sim = await startSimCluster({ seed: [{ namespace: 'shop', name: 'api', container: 'api', image: 'api:v1', replicas: 1 }], readyDelayMs: 10, eventTtlMs: 300 });
    try {
      const list = async () => ((await (await fetch(`${sim.url}/api/v1/namespaces/shop/events`)).json()) as { items: unknown[] }).items;
      expect((await list()).length).toBeGreaterThan(0);
      const deadline = Date.now() + 5_000;
      while ((await list()).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(await list()).toEqual([]);
    } finally {
      await sim.close();
    }
  });
});
