import { describe, expect, it } from 'vitest';
import type { Deploy, Phase } from '../../src/deploy/index.ts';
import type { DeskService } from '../../src/desk/index.ts';
import { versionFacts } from '../../src/desk/version-facts.ts';
import { DeckhandError } from '../../src/errors.ts';
import type { LockHolder } from '../../src/store/index.ts';

const services = new Map<string, DeskService>([['api', {
  name: 'api', team: 'payments',
  environments: { staging: { namespace: 'staging', deployment: 'api', container: 'api', image: 'registry.local/acme/api' } },
}]]);

function record(id: string, action: Deploy['action'], phase: Phase = 'queued', state: Deploy['state'] = {}): Deploy {
  return {
    id, service: 'api', env: 'staging', action, phase, step: 'gate', state, steering: {}, approvals: [], channel: 'c',
    requestedBy: { id: 'alice', name: 'alice', platform: 'console', groups: [] }, createdAt: '', updatedAt: '',
  };
}
const deploy = (version: string): Deploy['action'] => ({ kind: 'deploy', version, strategy: { kind: 'rolling' } });

/** The ports versionFacts reads: the cluster's image (or its absence), the lock and the records. */
function world(o: { image?: string; missing?: boolean; holder?: LockHolder; records?: Deploy[] }) {
  return {
    services,
    kube: {
      readDeployment: async () => {
        if (o.missing) throw new DeckhandError('kube_not_found', 'deployment staging/api not found');
        return { images: o.image ? { api: o.image } : {} };
      },
    } as never,
    locks: { get: async () => o.holder },
    deploys: { get: async (id: string) => o.records?.find((r) => r.id === id), list: async () => o.records ?? [] },
  };
}

describe('versionFacts: what runs, what is asked for, and how they compare', () => {
  it('reads the running version from the workload, its digest pin aside', async () => {
    const facts = await versionFacts(world({ image: `registry.local/acme/api:v1.5.3@sha256:${'a'.repeat(64)}` }), record('0', deploy('v1.5.1')));
    expect(facts).toEqual({ running: 'v1.5.3', requested: 'v1.5.1', comparison: 'downgrade', prerelease: false });
  });

  it('has nothing running before the first deploy', async () => {
    expect(await versionFacts(world({ missing: true }), record('0', deploy('v1.6.0-rc.1')))).toEqual({ running: null, requested: 'v1.6.0-rc.1', comparison: 'prerelease', prerelease: true });
  });

  it('other faults reading the cluster are not judged blind', async () => {
    const broken = { ...world({}), kube: { readDeployment: async () => { throw new DeckhandError('kube_api_error', 'the API answered 500'); } } as never };
    await expect(versionFacts(broken, record('0', deploy('v1.5.0')))).rejects.toThrow('the API answered 500');
  });

  it('while another deploy rolls out, orders against what it replaces, not the half-rolled spec', async () => {
    const inFlight = record('4', deploy('v1.5.1'), 'rolling_out', { fromImage: 'registry.local/acme/api:v1.4.0' });
    const w = world({ image: 'registry.local/acme/api:v1.5.1', holder: { kind: 'deploy', deployId: '4', by: 'alice', at: '' }, records: [inFlight] });
    expect(await versionFacts(w, record('0', deploy('v1.5.0')))).toMatchObject({ running: 'v1.4.0', comparison: 'upgrade' });
    // The deploy's own lock (its worker re-asking before the rollout) reads the cluster.
    expect(await versionFacts(w, record('4', deploy('v1.5.1')))).toMatchObject({ running: 'v1.5.1', comparison: 'same' });
  });

  it('a rollback to the previous version has no requested version to compare', async () => {
    expect(await versionFacts(world({ image: 'registry.local/acme/api:v1.5.0' }), record('0', { kind: 'rollback' }))).toEqual({ running: 'v1.5.0', requested: null, comparison: 'unknown', prerelease: false });
  });
});
