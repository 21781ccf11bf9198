import { describe, expect, it } from 'vitest';
import { routesAt } from '../../src/rollout/traffic/istio-router.ts';
import type { TrafficScope } from '../../src/rollout/index.ts';

const base = { namespace: 'shop', stable: 'search', canary: 'search-canary', replicas: 4, serviceSelector: { app: 'search' } };
const hosts: TrafficScope = { ...base, istio: { virtualService: 'search', stableSubset: 'stable', canarySubset: 'canary' } };
const subsets: TrafficScope = { ...base, istio: { virtualService: 'search', destinationRule: 'search', stableSubset: 'stable', canarySubset: 'canary' } };
const read = [
  { name: 'admin', destinations: [{ host: 'admin.shop.svc.cluster.local' }] },
  { name: 'primary', destinations: [{ host: 'search.shop.svc.cluster.local' }] },
];

describe('Istio weights at a step', () => {
  it('hosts mode: the stable host and the canary Service written the same way; other routes untouched', () => {
    expect(routesAt({ kind: 'istio', virtualService: 'search', routes: read }, hosts, 25)).toEqual([
      read[0],
      { name: 'primary', destinations: [{ host: 'search.shop.svc.cluster.local', weight: 75 }, { host: 'search-canary.shop.svc.cluster.local', weight: 25 }] },
    ]);
  });

  it('subset mode: two subsets of the stable host', () => {
    const snap = { kind: 'istio' as const, virtualService: 'search', routes: [{ destinations: [{ host: 'search', subset: 'stable' }] }], destinationRule: 'search', subsets: [] };
    expect(routesAt(snap, subsets, 40)).toEqual([{ destinations: [{ host: 'search', subset: 'stable', weight: 60 }, { host: 'search', subset: 'canary', weight: 40 }] }]);
  });

  it('a route named in config is the only one weighted', () => {
    const two = [{ name: 'a', destinations: [{ host: 'search' }] }, { name: 'b', destinations: [{ host: 'search' }] }];
    const named: TrafficScope = { ...hosts, istio: { virtualService: 'search', route: 'b', stableSubset: 'stable', canarySubset: 'canary' } };
    expect(routesAt({ kind: 'istio', virtualService: 'search', routes: two }, named, 10)).toEqual([
      two[0], { name: 'b', destinations: [{ host: 'search', weight: 90 }, { host: 'search-canary', weight: 10 }] },
    ]);
  });
});
