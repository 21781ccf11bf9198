import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.ts';
import type { AuditLog } from '../../src/audit/index.ts';
import type { Actor } from '../../src/deploy/index.ts';
import { authorize, createPeopleDirectory, guardWrites, type DeskDeps, type DeskStores, type Grant } from '../../src/desk/index.ts';
import { createEmbeddedBackend, readPolicyDir } from '../../src/policy/index.ts';

/** The writes the desk can make take the gate's grant, and only one that covers what is written. */
describe('grants', async () => {
  const written: string[] = [];
  const stores: DeskStores = {
    deploys: { create: async () => { throw new Error('unused'); }, update: async (id) => { written.push(`update #${id}`); return {} as never; } },
    locks: { acquire: async (s, e) => { written.push(`lock ${s}/${e}`); return { ok: true }; }, swap: async () => true, releaseDeploy: async () => true },
    freezes: { add: async (f) => { written.push(`freeze ${f.env}`); return 'x'; }, clear: async () => 0 },
    queue: { enqueue: async () => {}, wake: async () => {} },
  };
  const writes = guardWrites(stores);
  const deps = {
    services: new Map([['api', { name: 'api', team: 'payments', environments: { staging: { namespace: 's', deployment: 'api', container: 'api', image: 'i' } } }]]),
    people: createPeopleDirectory({}, { payments: ['dave'], oncall: ['carol'] }),
    policyOf: (verb: string) => COMMANDS.get(verb as never)!.policy,
    freezes: { list: async () => [] },
    policy: createEmbeddedBackend(await readPolicyDir('policies')),
    audit: { record: async () => {} } as unknown as AuditLog,
    now: () => new Date('2026-11-18T10:00:00Z'),
  } as unknown as DeskDeps;
  const carol: Actor = { id: 'carol', name: 'carol', platform: 'console', groups: [] };
  const lockGrant = async (): Promise<Grant> => {
    const gate = await authorize(deps, 'lock', { service: 'api', env: 'staging', actor: carol });
    if (!gate.ok) throw new Error('carol may lock');
    return gate.grant;
  };

  it('a grant writes what it covers', async () => {
    await writes.acquireLock(await lockGrant(), 'api', 'staging', { kind: 'manual', by: 'carol', at: 'now' });
    expect(written).toContain('lock api/staging');
  });

  it.each([
    ['a forged grant', async () => writes.acquireLock({ ...(await lockGrant()) }, 'api', 'staging', { kind: 'manual', by: 'x', at: 'now' })],
    ['a lock grant used on another environment', async () => writes.acquireLock(await lockGrant(), 'api', 'production', { kind: 'manual', by: 'x', at: 'now' })],
    ['a lock grant used to change a deploy', async () => writes.updateDeploy(await lockGrant(), '3', (d) => d)],
    ['a lock grant used to freeze', async () => writes.addFreeze(await lockGrant(), { env: 'staging', from: 'now', by: 'x' })],
  ])('refuses %s, writing nothing', async (_, attempt) => {
    written.length = 0;
    await expect(attempt()).rejects.toMatchObject({ code: 'internal_error' });
    expect(written).toEqual([]);
  });
});
