import { describe, expect, it } from 'vitest';
import type { Deploy, Phase } from '../../src/deploy/index.ts';
import type { DeskService } from '../../src/desk/index.ts';
import { promotionFacts } from '../../src/desk/promotion-facts.ts';

const NOW = Date.parse('2026-11-18T10:00:00Z');
const minutesAgo = (m: number): string => new Date(NOW - m * 60_000).toISOString();
const DIGEST_A = `sha256:${'a'.repeat(64)}`;
const DIGEST_B = `sha256:${'b'.repeat(64)}`;

const target = { namespace: 'x', deployment: 'api', container: 'api', image: 'registry.local/acme/api' };
const services = new Map<string, DeskService>([['api', {
  name: 'api', team: 'payments',
  environments: { staging: target, production: { ...target, requires: { after: 'staging', soakMs: 30 * 60_000 } } },
}]]);

let nextId = 1;
function record(env: string, version: string | { rollback: string | undefined }, phase: Phase, finishedMinutesAgo: number, digest?: string): Deploy {
  const at = minutesAgo(finishedMinutesAgo);
  return {
    id: String(nextId++), service: 'api', env, phase, step: 'done', state: {}, steering: {}, approvals: [], channel: 'c',
    action: typeof version === 'string' ? { kind: 'deploy', version, strategy: { kind: 'rolling' } } : { kind: 'rollback', toVersion: version.rollback },
    requestedBy: { id: 'alice', name: 'alice', platform: 'console', groups: [] },
    createdAt: at, updatedAt: at, finishedAt: at, ...(digest && { artifact: { digest } }),
  };
}

/** The facts for `api v1.5.0` (optionally pinned to `digest`) to production, given staging's records oldest first. */
function factsFor(staging: Deploy[], digest?: string, env = 'production') {
  const newestFirst = [...staging].reverse();
  const deploys = { list: async () => newestFirst, get: async () => undefined };
  return promotionFacts({ services, deploys, now: () => new Date(NOW) }, record(env, 'v1.5.0', 'queued', 0, digest));
}

describe('promotionFacts: whether the artifact ran in the earlier environment, and for how long', () => {
  it('is null where no order is required, and for rollbacks', async () => {
    expect(await factsFor([], undefined, 'staging')).toBeNull();
    const deploys = { list: async () => [], get: async () => undefined };
    expect(await promotionFacts({ services, deploys, now: () => new Date(NOW) }, record('production', { rollback: 'v1.3.0' }, 'queued', 0))).toBeNull();
  });

  it('has not run when staging never succeeded with it (a failed or rolled back deploy does not count)', async () => {
    const facts = await factsFor([record('staging', 'v1.5.0', 'rolled_back', 50), record('staging', 'v1.5.0', 'failed', 40), record('staging', 'v1.4.0', 'succeeded', 30)]);
    expect(facts).toEqual({ after: 'staging', needed_seconds: 1800, ran: false, satisfied: false, still_running: false, ran_at: null, soaked_seconds: null, deploy_id: null, matched_by: null });
  });

  it('counts the soak from the success while staging still runs it', async () => {
    const ok = record('staging', 'v1.5.0', 'succeeded', 18);
    expect(await factsFor([record('staging', 'v1.4.0', 'succeeded', 60), ok])).toEqual({
      after: 'staging', needed_seconds: 1800, ran: true, satisfied: false, still_running: true,
      ran_at: minutesAgo(18), soaked_seconds: 18 * 60, deploy_id: ok.id, matched_by: 'version',
    });
    expect(await factsFor([record('staging', 'v1.5.0', 'succeeded', 31)])).toMatchObject({ satisfied: true, soaked_seconds: 31 * 60 });
  });

  it('ends a run when something else succeeds there, and keeps the longest run', async () => {
    const short = await factsFor([record('staging', 'v1.5.0', 'succeeded', 120), record('staging', 'v1.6.0', 'succeeded', 115)]);
    expect(short).toMatchObject({ ran: true, satisfied: false, still_running: false, soaked_seconds: 300 });

    const first = record('staging', 'v1.5.0', 'succeeded', 200);
    const longest = await factsFor([first, record('staging', 'v1.6.0', 'succeeded', 150), record('staging', 'v1.5.0', 'succeeded', 5)]);
    expect(longest).toMatchObject({ ran: true, satisfied: true, still_running: false, soaked_seconds: 50 * 60, deploy_id: first.id });
  });

  it('a redeploy of the same artifact, or a rollback to it, does not end its run; a rollback elsewhere does', async () => {
    const kept = await factsFor([record('staging', 'v1.5.0', 'succeeded', 60), record('staging', 'v1.5.0', 'succeeded', 40), record('staging', { rollback: 'v1.5.0' }, 'succeeded', 20)]);
    expect(kept).toMatchObject({ still_running: true, soaked_seconds: 60 * 60 });
    const ended = await factsFor([record('staging', 'v1.5.0', 'succeeded', 60), record('staging', { rollback: undefined }, 'succeeded', 50)]);
    expect(ended).toMatchObject({ still_running: false, soaked_seconds: 10 * 60 });
  });

  it('the same digest is the same artifact, whatever the tag; a moved tag is not', async () => {
    const retagged = await factsFor([record('staging', 'v1.5.0-rc.2', 'succeeded', 45, DIGEST_A)], DIGEST_A);
    expect(retagged).toMatchObject({ ran: true, satisfied: true, matched_by: 'digest' });
    const moved = await factsFor([record('staging', 'v1.5.0', 'succeeded', 45, DIGEST_B)], DIGEST_A);
    expect(moved).toMatchObject({ ran: false, matched_by: null });
    // Only one side pinned: the version decides.
    expect(await factsFor([record('staging', 'v1.5.0', 'succeeded', 45)], DIGEST_A)).toMatchObject({ ran: true, matched_by: 'version' });
  });
});
