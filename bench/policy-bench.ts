/**
 * Policy benchmark (issue 3): parse+compile time of policies/, and decisions per second and latency percentiles
 * of the shipped deploy policy on a realistic input (production, two approvals, a one-off freeze elsewhere).
 * One process, one core. Writes bench/results/policy.json.
 */
import { createEmbeddedBackend, readPolicyDir, type PolicyInput } from '../src/policy/index.ts';
import { percentile, writeResult } from './results.ts';

/** The rule the gate asks for a deploy. */
const DEPLOY_DECISION = { package: 'deploy', rule: 'decision' };

const input: PolicyInput = {
  action: 'deploy',
  request: { service: 'api', env: 'production', version: 'v1.5.0', strategy: 'canary', percent: 5, dry_run: false, deploy_id: '42' },
  requester: { id: 'U01ALICE', name: 'alice', groups: ['payments', 'engineering'] },
  deploy_requester: { id: 'U01ALICE', name: 'alice', groups: ['payments', 'engineering'] },
  service: { name: 'api', team: 'payments', environments: ['staging', 'production'] },
  approvals: [
    { id: 'U02BOB', name: 'bob', groups: ['approvers', 'sre'] },
    { id: 'U03CAROL', name: 'carol', groups: ['approvers', 'oncall'] },
  ],
  freezes: [{ env: 'staging', from: '2026-11-18T09:00:00Z', until: '2026-11-30T00:00:00Z', reason: 'load test', by: 'dave' }],
  now: '2026-11-18T10:00:00Z',
  // The facts a production deploy carries: a signed image, an upgrade, and staging ran the same digest long enough.
  image: { digest: `sha256:${'ab'.repeat(32)}`, signed: true, signer: { identity: 'key SHA256:99jFKLiJZ8cAINjijq088sXECvqBuUp3KcZasXPS9wM', issuer: null }, reason: null },
  versions: { running: 'v1.4.0', requested: 'v1.5.0', comparison: 'upgrade', prerelease: false },
  promotion: { after: 'staging', needed_seconds: 1800, ran: true, satisfied: true, still_running: true, ran_at: '2026-11-18T08:00:00Z', soaked_seconds: 7200, deploy_id: '41', matched_by: 'digest' },
};

const bundle = await readPolicyDir('policies');
const compileMs: number[] = [];
for (let i = 0; i < 20; i++) {
  const t = performance.now();
  createEmbeddedBackend(bundle);
  compileMs.push(performance.now() - t);
}
const backend = createEmbeddedBackend(bundle);
for (let i = 0; i < 2000; i++) await backend.decide(input, DEPLOY_DECISION);

const samples: number[] = [];
const N = 20_000;
const started = performance.now();
for (let i = 0; i < N; i++) {
  const t = performance.now();
  await backend.decide(input, DEPLOY_DECISION);
  samples.push(performance.now() - t);
}
const elapsed = performance.now() - started;

await writeResult('policy', {
  decision: await backend.decide(input, DEPLOY_DECISION),
  compileMs: { first: Math.round(compileMs[0]! * 100) / 100, p50: percentile(compileMs, 50) },
  decisions: N,
  decisionsPerSecond: Math.round(N / (elapsed / 1000)),
  latencyMs: { p50: percentile(samples, 50), p99: percentile(samples, 99), max: percentile(samples, 100) },
  goal: { p99Ms: '< 1', decisionsPerSecond: '>= 10000 on one core' },
});
