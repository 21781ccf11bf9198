import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Deploy } from '../../src/deploy/index.ts';
import { closeRedis, connectRedis, DeployStore, StreamStore, type NewDeploy, type Redis } from '../../src/store/index.ts';
import { AuditLog, auditEntry } from '../../src/audit/index.ts';

const draft: NewDeploy = {
  service: 'api', env: 'staging', channel: 'c1', phase: 'queued', step: 'gate', steering: {}, state: {}, approvals: [],
  action: { kind: 'deploy', version: 'v1.5.0', strategy: { kind: 'rolling' } },
  requestedBy: { id: 'alice', name: 'alice', platform: 'console', groups: [] },
  createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(),
} as NewDeploy;

describe('deploy records', () => {
  let redis: Redis;
  let store: DeployStore;
  const prefix = `ds${randomBytes(4).toString('hex')}`;
  beforeAll(() => { redis = connectRedis(inject('redisUrl')); store = new DeployStore(redis, prefix); });
  afterAll(async () => { await closeRedis(redis); });

  it('an update based on the record a writer last saw loses nothing another writer saved since', async () => {
    const { deploy } = await store.create(draft, `k-${randomBytes(4).toString('hex')}`);
    // The worker saves a step and keeps the saved record, as the step runner does.
    const workerView = await store.update(deploy.id, (d) => ({ ...d, step: 'start', state: { ...d.state, a: 1 } }), deploy);
    // Meanwhile a person's /abort lands through another writer.
    await store.update(deploy.id, (d) => ({ ...d, state: { ...d.state, aborting: true } }));
    // The worker's next save starts from its stale view: the first try fails on the revision and is redone on the fresh record.
    const saved = await store.update(deploy.id, (d: Deploy) => ({ ...d, step: 'apply', state: { ...d.state, b: 2 } }), workerView);
    expect(saved.state).toEqual({ a: 1, aborting: true, b: 2 });
    expect((await store.get(deploy.id))?.state).toEqual({ a: 1, aborting: true, b: 2 });
    expect((await store.get(deploy.id))?.step).toBe('apply');
  });

  it('a save that changes the phase is in the audit log when it returns, in that same write; other saves and lost races add nothing', async () => {
    const key = `${prefix}:journal:${randomBytes(3).toString('hex')}`;
    const journaled = new DeployStore(redis, prefix, { key, maxLen: 1000, entry: (d, message) => auditEntry({ kind: 'phase', deployId: d.id, phase: d.phase, message }) });
    const log = new AuditLog(new StreamStore(redis, key));
    const { deploy } = await journaled.create(draft, `k-${randomBytes(4).toString('hex')}`);

    const running = await journaled.update(deploy.id, (d) => ({ ...d, phase: 'rolling_out', step: 'apply' }), deploy, 'Rolling out v1.5.0');
    // No wait, no poll: the entry was written by the script that saved the record.
    expect((await log.read()).map((e) => e.kind === 'phase' && [e.deployId, e.phase, e.message])).toEqual([[deploy.id, 'rolling_out', 'Rolling out v1.5.0']]);

    // Same phase: nothing to journal. A stale view that loses the race writes nothing for its failed try.
    await journaled.update(deploy.id, (d) => ({ ...d, step: 'await' }), running, 'ignored');
    await journaled.update(deploy.id, (d) => ({ ...d, state: { ...d.state, abort: true } }));
    await journaled.update(deploy.id, (d) => ({ ...d, phase: 'succeeded', step: 'done', summary: 'api v1.5.0 is live.' }), running);
    const entries = await log.read();
    expect(entries.map((e) => e.kind === 'phase' && [e.phase, e.message])).toEqual([['rolling_out', 'Rolling out v1.5.0'], ['succeeded', 'api v1.5.0 is live.']]);
    // A change that leaves the record as it is (an end phase is final) journals nothing.
    await journaled.update(deploy.id, () => undefined, undefined, 'ignored');
    expect(await log.read()).toHaveLength(2);
  });

  const waiterOf = async (namespace: string, name: string): Promise<string | undefined> => (await store.waitersOf([{ namespace, name, settled: true }]))[0];

  it('answers for several Deployments in one read: who waits on them, and who waits for their rollout to settle once it has', async () => {
    const ns = `n${randomBytes(3).toString('hex')}`;
    const first = (await store.create(draft, `k-${randomBytes(4).toString('hex')}`)).deploy;
    const second = (await store.create(draft, `k-${randomBytes(4).toString('hex')}`)).deploy;
    const third = (await store.create(draft, `k-${randomBytes(4).toString('hex')}`)).deploy;
    await store.update(first.id, (d) => ({ ...d, waitingFor: { namespace: ns, name: 'api-canary' } }), first);
    await store.update(second.id, (d) => ({ ...d, waitingFor: { namespace: ns, name: 'web' } }), second);
    await store.update(third.id, (d) => ({ ...d, waitingFor: { namespace: ns, name: 'db', when: 'settled' } }), third);
    expect(await store.waitersOf([{ namespace: ns, name: 'web' }, { namespace: ns, name: 'api' }, { namespace: ns, name: 'api-canary' }, { namespace: ns, name: 'db' }]))
      .toEqual([second.id, first.id]);
    expect(await store.waitersOf([{ namespace: ns, name: 'db', settled: true }, { namespace: ns, name: 'web', settled: true }])).toEqual([third.id, second.id]);
    expect(await store.waitersOf([])).toEqual([]);
  });

  it('keeps an index from each Deployment a step waits on to its deploy, cleared when the wait moves or ends', async () => {
    const ns = `n${randomBytes(3).toString('hex')}`;
    const { deploy } = await store.create(draft, `k-${randomBytes(4).toString('hex')}`);
    expect(await waiterOf(ns, 'api-canary')).toBeUndefined();
    let view = await store.update(deploy.id, (d) => ({ ...d, waitingFor: { namespace: ns, name: 'api-canary' } }), deploy);
    expect(await waiterOf(ns, 'api-canary')).toBe(deploy.id);
    // The same wait saved again (a steering write) keeps it; a wait on another Deployment moves it.
    view = await store.update(deploy.id, (d) => ({ ...d, steering: { paused: true } }), view);
    expect(await waiterOf(ns, 'api-canary')).toBe(deploy.id);
    view = await store.update(deploy.id, (d) => ({ ...d, waitingFor: { namespace: ns, name: 'api' } }), view);
    expect(await waiterOf(ns, 'api-canary')).toBeUndefined();
    expect(await waiterOf(ns, 'api')).toBe(deploy.id);
    // Waiting only for time, or running: nobody waits on a Deployment.
    view = await store.update(deploy.id, (d) => ({ ...d, waitingFor: 'time' }), view);
    expect(await waiterOf(ns, 'api')).toBeUndefined();
    view = await store.update(deploy.id, (d) => ({ ...d, waitingFor: { namespace: ns, name: 'api' } }), view);
    const { waitingFor: _w, ...running } = view;
    view = await store.update(deploy.id, () => running, view);
    expect(await waiterOf(ns, 'api')).toBeUndefined();
    // An ended deploy waits on nothing, even if its record still names a wait (a job that failed for good).
    view = await store.update(deploy.id, (d) => ({ ...d, waitingFor: { namespace: ns, name: 'api' } }), view);
    await store.update(deploy.id, (d) => ({ ...d, phase: 'failed', step: 'done' }), view);
    expect(await waiterOf(ns, 'api')).toBeUndefined();
  });

  it('a deploy leaving a wait never clears the entry of the deploy that now waits on that Deployment', async () => {
    const ns = `n${randomBytes(3).toString('hex')}`;
    const first = (await store.create(draft, `k-${randomBytes(4).toString('hex')}`)).deploy;
    const second = (await store.create(draft, `k-${randomBytes(4).toString('hex')}`)).deploy;
    const firstView = await store.update(first.id, (d) => ({ ...d, waitingFor: { namespace: ns, name: 'api' } }), first);
    await store.update(second.id, (d) => ({ ...d, waitingFor: { namespace: ns, name: 'api' } }), second);
    expect(await waiterOf(ns, 'api')).toBe(second.id);
    await store.update(first.id, (d) => ({ ...d, phase: 'aborted', step: 'done' }), firstView);
    expect(await waiterOf(ns, 'api')).toBe(second.id);
  });

  it('an update based on the latest saved record needs no fresh read and keeps the revision in step', async () => {
    const { deploy } = await store.create(draft, `k-${randomBytes(4).toString('hex')}`);
    let view = deploy;
    for (let i = 1; i <= 5; i++) view = await store.update(deploy.id, (d) => ({ ...d, state: { ...d.state, n: i } }), view);
    await store.update(deploy.id, (d) => ({ ...d, state: { ...d.state, other: true } }));
    const last = await store.update(deploy.id, (d) => ({ ...d, state: { ...d.state, n: 6 } }), view);
    expect(last.state).toEqual({ n: 6, other: true });
    expect((await store.get(deploy.id))?.state).toEqual({ n: 6, other: true });
  });

  it('"no change" judged on a stale view is judged again on the latest record', async () => {
    const { deploy } = await store.create(draft, `k-${randomBytes(4).toString('hex')}`);
    const stale = await store.update(deploy.id, (d) => ({ ...d, state: { ...d.state, n: 1 } }), deploy);
    await store.update(deploy.id, (d) => ({ ...d, phase: 'aborted', step: 'done' }));
    const seen: string[] = [];
    const result = await store.update(deploy.id, (d) => { seen.push(d.phase); return d.phase === 'queued' ? undefined : { ...d, summary: 'ended elsewhere' }; }, stale);
    expect(seen).toEqual(['queued', 'aborted']);
    expect(result.phase).toBe('aborted');
    expect(result.summary).toBe('ended elsewhere');
  });
});
