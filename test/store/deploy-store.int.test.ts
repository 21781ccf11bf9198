import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Deploy } from '../../src/deploy/index.ts';
import { closeRedis, connectRedis, DeployStore, type NewDeploy, type Redis } from '../../src/store/index.ts';

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

  it('answers what a deploy waits on from the last save alone, and reads a record saved before that field whole', async () => {
    const { deploy } = await store.create(draft, `k-${randomBytes(4).toString('hex')}`);
    expect(await store.waitingFor(deploy.id)).toBeUndefined();
    await store.update(deploy.id, (d) => ({ ...d, waitingFor: { namespace: 'staging', name: 'api-canary' } }));
    expect(await store.waitingFor(deploy.id)).toEqual({ namespace: 'staging', name: 'api-canary' });
    await store.update(deploy.id, (d) => ({ ...d, waitingFor: 'time' }));
    expect(await store.waitingFor(deploy.id)).toBe('time');
    const { waitingFor: _w, ...running } = await store.get(deploy.id) as Deploy;
    await store.update(deploy.id, () => running);
    expect(await store.waitingFor(deploy.id)).toBeUndefined();
    expect(await store.waitingFor('404404')).toBeUndefined();
    // A record written by an earlier version has no 'waiting' field: the record itself answers.
    const key = `${prefix}:deploy:${deploy.id}`;
    await store.update(deploy.id, (d) => ({ ...d, waitingFor: { namespace: 'staging', name: 'api' } }));
    await redis.hdel(key, 'waiting');
    expect(await store.waitingFor(deploy.id)).toEqual({ namespace: 'staging', name: 'api' });
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
