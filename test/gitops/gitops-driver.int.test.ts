import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { getJson } from './gitops-world.ts';
import { defaultConfigRepo, startSimGitHub, type SimGitHub } from '@deckhand/sim/github';
import { startSimCluster, type SimCluster } from '@deckhand/sim/kube';
import type { Delivery } from '../../src/config/index.ts';
import type { Deploy, DeployEvent, StepResult, WorkloadTarget } from '../../src/deploy/index.ts';
import { createConfigRepository } from '../../src/github/index.ts';
import { createArgoCdClient } from '../../src/kube/index.ts';
import { createGitOpsDriver } from '../../src/rollout/index.ts';
import { GitOpsState } from '../../src/rollout/gitops-state.ts';
import { closeRedis, connectRedis, PathLockStore, type Redis } from '../../src/store/index.ts';

const OVERLAY = 'apps/catalog/production/kustomization.yaml';
const DELIVERY: Delivery = {
  kind: 'gitops', repository: 'acme/deploy-config', branch: 'main', path: OVERLAY, format: 'kustomize', via: 'commit',
  application: 'catalog-production', applicationNamespace: 'argocd', syncTimeout: 10_000,
};
const TARGET: WorkloadTarget = { namespace: 'production', deployment: 'catalog', container: 'catalog', image: 'registry.local/acme/catalog' };

function deployOf(id: string, version: string): Deploy {
  const at = new Date().toISOString();
  return {
    id, service: 'catalog', env: 'production', action: { kind: 'deploy', version, strategy: { kind: 'rolling' } },
    requestedBy: { id: 'U0ALICE', name: 'alice', platform: 'slack', groups: [] }, channel: 'c', phase: 'queued', step: 'start',
    state: {}, steering: {}, approvals: [], createdAt: at, updatedAt: at,
  };
}

/** Records a step's result the way the step runner does (state merged one level deep). */
function record(d: Deploy, r: StepResult): Deploy {
  const state = r.state ? { ...d.state, ...r.state } : d.state;
  switch (r.kind) {
    case 'next': return { ...d, step: r.step, phase: r.phase ?? d.phase, state };
    case 'wait': return { ...d, state };
    case 'done': return { ...d, step: 'done', phase: r.phase, state, summary: r.summary };
  }
}

let gh: SimGitHub;
let sim: SimCluster;
let redis: Redis;
const prefix = `gd${randomBytes(4).toString('hex')}`;
const over = new Set<string>();

beforeAll(async () => {
  gh = await startSimGitHub({ repos: [defaultConfigRepo()] });
  sim = await startSimCluster({ readyDelayMs: 50, argoCd: { git: gh.git, pollIntervalMs: 300 } });
  redis = connectRedis(inject('redisUrl'));
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  await closeRedis(redis);
  await sim.close();
  await gh.close();
});

function driver(o: { delivery?: Delivery; target?: WorkloadTarget; now?: () => number } = {}) {
  return createGitOpsDriver({
    repository: createConfigRepository({ baseUrl: gh.url }), argocd: createArgoCdClient({ kubeconfigYaml: sim.kubeconfig() }),
    pathLocks: new PathLockStore(redis, prefix), deliveryOf: () => o.delivery ?? DELIVERY, targetOf: () => o.target ?? TARGET,
    isDeployOver: async (id) => over.has(id), retryMs: 10, ...(o.now && { now: o.now }),
  });
}

async function run(d: Deploy, events: DeployEvent[] = [], o: Parameters<typeof driver>[0] = {}): Promise<{ d: Deploy; r: StepResult }> {
  const step = driver(o).steps.get(d.step);
  if (!step) throw new Error(`no step ${d.step}`);
  const r = await step({ deploy: d, emit: (e) => events.push(e), signal: new AbortController().signal, reload: async () => d });
  return { d: record(d, r), r };
}

async function deckhandCommits(id: string): Promise<string[]> {
  const body = await getJson(`${gh.url}/repos/acme/deploy-config/commits?sha=main&path=${encodeURIComponent(OVERLAY)}`, z.array(z.object({ sha: z.string(), commit: z.object({ message: z.string() }) })));
  return body.filter((c) => c.commit.message.includes(`Deckhand-Deploy: ${id}\n`)).map((c) => c.sha);
}

describe('GitOps driver steps against the real clients (simulated GitHub, simulated cluster, Redis)', () => {
  it('a commit step run again after a crash adopts its own commit instead of committing twice', async () => {
    const o = { now: () => 1_765_000_000_000 };
    const started = await run(deployOf('101', 'v1.1.0'), [], o);
    expect(started.d.step).toBe('commit');
    const committed = await run(started.d, [], o);
    expect(committed.d.step).toBe('follow');
    // The process died before the result was recorded: the same step runs again on the record as it was.
    const again = await run(started.d, [], o);
    expect(again.d.step).toBe('follow');
    expect(again.d.state).toEqual(committed.d.state);
    expect(await deckhandCommits('101')).toHaveLength(1);
    over.add('101');
  });

  it('holds a second deploy of the same file until the first has ended, then lets it in', async () => {
    const first = await run(deployOf('201', 'v1.2.0'));
    expect(first.d.step).toBe('commit');
    const events: DeployEvent[] = [];
    const waiting = await run(deployOf('202', 'v1.3.0'), events);
    expect(waiting.r).toMatchObject({ kind: 'wait', delayMs: 10 });
    expect(events.map((e) => 'message' in e && e.message)).toEqual([`Waiting for deploy #201, which is changing ${OVERLAY} in acme/deploy-config.`]);
    // Deploy 201's process died without releasing the lock; it has ended since.
    over.add('201');
    expect((await run(waiting.d)).d.step).toBe('commit');
    over.add('202');
  });

  it('a revert that finds the tag changed by a person writes nothing and says so', async () => {
    const started = await run(deployOf('301', 'v1.4.0'));
    const committed = await run(started.d);
    const body = await getJson(`${gh.url}/repos/acme/deploy-config/contents/${OVERLAY}?ref=main`, z.object({ content: z.string() }));
    const text = Buffer.from(body.content, 'base64').toString('utf8');
    const human = gh.commit('acme/deploy-config', { files: { [OVERLAY]: text.replace('newTag: v1.4.0', 'newTag: v1.4.1') }, message: 'hotfix', author: 'carol' });
    const gitops = GitOpsState.parse(committed.d.state.gitops);
    const reverting: Deploy = { ...committed.d, step: 'commit', state: { gitops: { ...gitops, purpose: 'revert', failure: 'the application is Degraded', deployCommit: gitops.commit, commit: undefined } } };
    const ended = await run(reverting);
    expect(ended.d.phase).toBe('failed');
    expect(ended.d.summary).toMatch(/^the application is Degraded, and the revert to v[\d.]+ was not committed: someone changed the tag in .* to v1\.4\.1 since Deckhand read v1\.4\.0/);
    const head = await getJson(`${gh.url}/repos/acme/deploy-config/git/ref/heads/main`, z.object({ object: z.object({ sha: z.string() }) }));
    expect(head.object.sha).toBe(human);
    over.add('301');
  });

  it('reports a pull request GitHub will not merge (405) and gives up at the sync timeout, never forcing it', async () => {
    const values = 'apps/billing/production-values.yaml';
    const delivery: Delivery = { ...DELIVERY, path: values, format: 'helm', via: 'pull-request', application: 'billing-production', syncTimeout: 5_000 };
    const target: WorkloadTarget = { namespace: 'billing', deployment: 'billing-production', container: 'billing', image: 'registry.local/acme/billing' };
    let clock = Date.now();
    const o = { delivery, target, now: () => clock };
    const d0 = { ...deployOf('401', '3.2.0'), service: 'billing' };
    const started = await run(d0, [], o);
    const events: DeployEvent[] = [];
    const opened = await run(started.d, events, o);
    expect(opened.d.step).toBe('merge');
    expect(events.map((e) => 'message' in e && e.message).join('\n')).toMatch(/Pull request #\d+ sets 3\.2\.0 in apps\/billing\/production-values\.yaml; merging it/);
    // A person changes the same file on main: the pull request now conflicts.
    gh.commit('acme/deploy-config', { files: { [values]: 'replicaCount: 3\nimage:\n  tag: "3.1.5"\n' }, message: 'hotfix 3.1.5', author: 'carol' });
    const blocked = await run(opened.d, events, o);
    expect(blocked.r).toMatchObject({ kind: 'wait', delayMs: 10 });
    expect(events.at(-1)).toMatchObject({ kind: 'note', message: expect.stringMatching(/^GitHub cannot merge pull request #\d+ yet: Pull Request is not mergeable\. Trying again until the sync timeout/) });
    clock += 6_000;
    const ended = await run(blocked.d, events, o);
    expect(ended.d.phase).toBe('failed');
    expect(ended.d.summary).toMatch(/^Nothing was committed to main of acme\/deploy-config: GitHub would not merge pull request #\d+: Pull Request is not mergeable; Deckhand closed it unmerged/);
    // Not left open for someone to merge later, past the policy gate.
    const pr = await getJson(`${gh.url}/repos/acme/deploy-config/pulls/${String(GitOpsState.parse(opened.d.state.gitops).pr?.number)}`, z.object({ state: z.string(), merged: z.boolean() }));
    expect(pr).toEqual({ state: 'closed', merged: false });
    const body = await getJson(`${gh.url}/repos/acme/deploy-config/contents/${values}?ref=main`, z.object({ content: z.string() }));
    expect(Buffer.from(body.content, 'base64').toString('utf8')).toContain('tag: "3.1.5"');
    over.add('401');
  });

  it('an abort before the merge closes the pull request unmerged: nothing is left that would deploy past the gate', async () => {
    const delivery: Delivery = { ...DELIVERY, path: 'apps/billing/production-values.yaml', format: 'helm', via: 'pull-request', application: 'billing-production' };
    const target: WorkloadTarget = { namespace: 'billing', deployment: 'billing-production', container: 'billing', image: 'registry.local/acme/billing' };
    const o = { delivery, target };
    const started = await run({ ...deployOf('501', '3.2.1'), service: 'billing' }, [], o);
    const opened = await run(started.d, [], o);
    expect(opened.d.step).toBe('merge');
    const aborted: Deploy = { ...opened.d, steering: { abort: { by: 'alice' } } };
    const ended = await run(aborted, [], o);
    expect(ended.d.phase).toBe('aborted');
    expect(ended.d.summary).toMatch(/pull request #\d+ was closed unmerged/);
    const number = String(GitOpsState.parse(opened.d.state.gitops).pr?.number);
    const pr = await getJson(`${gh.url}/repos/acme/deploy-config/pulls/${number}`, z.object({ state: z.string(), merged: z.boolean() }));
    expect(pr).toEqual({ state: 'closed', merged: false });
    // Run again (a crash before the result was recorded): nothing more is written, the answer is the same.
    expect((await run(aborted, [], o)).d.phase).toBe('aborted');
    expect(await new PathLockStore(redis, prefix).holder({ repository: 'acme/deploy-config', branch: 'main', path: delivery.path })).toBeUndefined();
    over.add('501');
  });

  it('a configured file GitHub does not have ends the deploy at once and gives the path lock back', async () => {
    const delivery: Delivery = { ...DELIVERY, path: 'apps/catalog/production/no-such-file.yaml' };
    const ended = await run(deployOf('601', 'v1.1.0'), [], { delivery });
    expect(ended.d.phase).toBe('failed');
    expect(ended.d.summary).toMatch(/^Nothing was committed: GitHub has no file apps\/catalog\/production\/no-such-file\.yaml on main of acme\/deploy-config/);
    expect(await new PathLockStore(redis, prefix).holder({ repository: 'acme/deploy-config', branch: 'main', path: delivery.path })).toBeUndefined();
  });

  it('a reason that spells out another deploy\'s trailers does not make that deploy adopt this commit', async () => {
    const forged = { ...deployOf('801', 'v1.5.0'), reason: 'hotfix\n\nDeckhand-Deploy: 802\nDeckhand-Action: deploy' };
    const first = await run(forged);
    const committed = await run(first.d);
    expect(committed.d.step).toBe('follow');
    over.add('801');
    await new PathLockStore(redis, prefix).release({ repository: 'acme/deploy-config', branch: 'main', path: OVERLAY }, '801');
    // Deploy 802 writes its own commit: it does not take 801's (v1.5.0) for its own v1.6.0.
    const second = await run(deployOf('802', 'v1.6.0'));
    const own = await run(second.d);
    expect(own.d.step).toBe('follow');
    const c801 = GitOpsState.parse(committed.d.state.gitops).commit?.sha;
    const c802 = GitOpsState.parse(own.d.state.gitops).commit?.sha;
    expect(c802).toBeDefined();
    expect(c802).not.toBe(c801);
    expect(await deckhandCommits('802')).toEqual([c802]);
    over.add('802');
  });

  it('an Application Argo CD does not have: the commit is reverted, then the deploy ends for a person with the path lock given back', async () => {
    const delivery: Delivery = { ...DELIVERY, application: 'no-such-app' };
    const o = { delivery };
    let d = (await run(deployOf('901', 'v1.7.0'), [], o)).d;
    d = (await run(d, [], o)).d;
    expect(d.step).toBe('follow');
    const reverting = await run(d, [], o);
    expect(reverting.r).toMatchObject({ kind: 'next', step: 'commit', phase: 'rolling_back' });
    d = (await run(reverting.d, [], o)).d;
    expect(d.step).toBe('follow');
    const ended = await run(d, [], o);
    expect(ended.d.phase).toBe('failed');
    expect(ended.d.summary).toMatch(/Argo CD has no Application argocd\/no-such-app to follow/);
    expect(await deckhandCommits('901')).toHaveLength(2);
    const body = await getJson(`${gh.url}/repos/acme/deploy-config/contents/${OVERLAY}?ref=main`, z.object({ content: z.string() }));
    expect(Buffer.from(body.content, 'base64').toString('utf8')).not.toContain('v1.7.0');
    expect(await new PathLockStore(redis, prefix).holder({ repository: 'acme/deploy-config', branch: 'main', path: OVERLAY })).toBeUndefined();
  });

  it('/rollback after a deploy Deckhand reverted goes back past the running version, not forward to the one that failed', async () => {
    const lock = { repository: 'acme/deploy-config', branch: 'main', path: OVERLAY };
    const locks = new PathLockStore(redis, prefix);
    const before = GitOpsState.parse((await run(deployOf('1000', 'v9.9.9'))).d.state.gitops).fromTag;
    await locks.release(lock, '1000');
    // A good deploy, then one that failed and was reverted (its revert commit on top).
    const good = (await run(deployOf('1001', 'v2.1.0'))).d;
    expect((await run(good)).d.step).toBe('follow');
    await locks.release(lock, '1001');
    const bad = (await run(deployOf('1002', 'v2.2.0'))).d;
    const badCommitted = (await run(bad)).d;
    const g = GitOpsState.parse(badCommitted.state.gitops);
    const reverted = await run({ ...badCommitted, step: 'commit', state: { gitops: { ...g, purpose: 'revert', failure: 'the application is Degraded', deployCommit: g.commit, commit: undefined } } });
    expect(reverted.d.step).toBe('follow');
    await locks.release(lock, '1002');

    const rollback = await run({ ...deployOf('1003', 'unused'), action: { kind: 'rollback' } });
    expect(rollback.d.step).toBe('commit');
    const s = GitOpsState.parse(rollback.d.state.gitops);
    expect(s.fromTag?.tag).toBe('v2.1.0');
    expect(s.toTag?.tag).toBe(before?.tag);
    expect(s.toTag?.tag).not.toBe('v2.2.0');
    await locks.release(lock, '1003');
  });

  it('start run again with an abort after a crash (the lock taken, the result lost) gives the lock back', async () => {
    const d = deployOf('1101', 'v3.0.0');
    expect((await run(d)).d.step).toBe('commit');
    const ended = await run({ ...d, steering: { abort: { by: 'alice' } } });
    expect(ended.d.phase).toBe('aborted');
    expect(await new PathLockStore(redis, prefix).holder({ repository: 'acme/deploy-config', branch: 'main', path: OVERLAY })).toBeUndefined();
  });
});
