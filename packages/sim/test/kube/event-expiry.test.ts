import { describe, expect, it } from 'vitest';
import { EventExpiry } from '../../src/kube/controllers/event-expiry.ts';
import { EventRecorder } from '../../src/kube/controllers/event-recorder.ts';
import { createResourceRegistry } from '../../src/kube/create-resource-registry.ts';
import type { StoreEvent } from '../../src/kube/object-store.ts';
import { ObjectStore } from '../../src/kube/object-store.ts';

function setup(ttlMs: number) {
  let clock = Date.parse('2026-12-08T10:00:00Z');
  const registry = createResourceRegistry();
  const store = new ObjectStore(registry, { now: () => clock });
  store.create(registry.lookup('v1', 'namespaces')!, { metadata: { name: 'shop' } });
  const events = registry.lookup('v1', 'events')!;
  const pods = registry.lookup('v1', 'pods')!;
  const pod = store.create(pods, { metadata: { name: 'api-1', namespace: 'shop' }, spec: { containers: [{ name: 'api', image: 'api:v1' }] } });
  const recorder = new EventRecorder(store, events);
  const expiry = new EventExpiry(store, events, ttlMs);
  const names = () => store.list(events, 'shop').map((e) => e.reason as string).sort();
  return { store, events, pod, recorder, expiry, names, advance: (ms: number) => { clock += ms; } };
}

describe('Event expiry (kube-apiserver --event-ttl)', () => {
  it('removes an Event once its time to live has passed since its last write, and a watch hears it go', () => {
    const { store, pod, recorder, expiry, names, advance } = setup(60_000);
    const deleted: StoreEvent[] = [];
    store.subscribe((e) => { if (e.type === 'DELETED') deleted.push(e); });
    recorder.record(pod, 'Normal', 'Scheduled', 'Successfully assigned shop/api-1', 'default-scheduler');
    advance(30_000);
    recorder.record(pod, 'Normal', 'Pulled', 'Container image "api:v1" already present', 'kubelet');

    advance(29_999);
    expiry.sweep();
    expect(names()).toEqual(['Pulled', 'Scheduled']);

    advance(1);
    expiry.sweep();
    expect(names()).toEqual(['Pulled']);
    expect(deleted.map((e) => e.object.reason)).toEqual(['Scheduled']);

    advance(30_000);
    expiry.sweep();
    expect(names()).toEqual([]);
    expiry.close();
  });

  it('gives a repeated Event (its count bumped) a new lease', () => {
    const { pod, recorder, expiry, names, advance, store, events } = setup(60_000);
    recorder.record(pod, 'Warning', 'BackOff', 'Back-off restarting failed container', 'kubelet');
    advance(50_000);
    recorder.record(pod, 'Warning', 'BackOff', 'Back-off restarting failed container', 'kubelet');
    advance(50_000);
    expiry.sweep();
    expect(names()).toEqual(['BackOff']);
    expect(store.list(events, 'shop')[0]?.count).toBe(2);
    advance(10_000);
    expiry.sweep();
    expect(names()).toEqual([]);
    expiry.close();
  });

});
