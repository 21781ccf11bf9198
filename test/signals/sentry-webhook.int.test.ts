import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sign, startSignalsWorld, until, type SignalsWorld } from './signals-world.ts';

const MINUTE = 60_000;
const unixSeconds = (ms: number): number => Math.floor(ms / 1000);

const END = ['succeeded', 'failed', 'rolled_back', 'aborted'] as const;

/** `Sentry-Hook-Resource: issue`, action created, trimmed to the fields of Sentry's serialized issue Deckhand reads. */
function newIssue(release: string, project = 'api-backend', firstSeen = new Date()): object {
  return {
    action: 'created',
    installation: { uuid: '7a485448-a9e2-4c85-8a3c-4f44175783c9' },
    data: {
      issue: {
        id: '1170820242', shortId: 'API-BACKEND-3', title: 'TypeError: Cannot read properties of undefined (reading \'total\')',
        culprit: 'checkout(app/cart)', level: 'error', status: 'unresolved', firstSeen: firstSeen.toISOString(),
        web_url: 'https://sentry.example.com/organizations/acme/issues/1170820242/',
        project: { id: '42', name: 'api-backend', slug: project, platform: 'node' },
        firstRelease: { version: release },
      },
    },
    actor: { type: 'application', id: 'sentry', name: 'Sentry' },
  };
}

/** `Sentry-Hook-Resource: event_alert`: an issue alert rule fired; the event names its project by id. */
function issueAlert(release: string): object {
  return {
    action: 'triggered',
    installation: { uuid: '7a485448-a9e2-4c85-8a3c-4f44175783c9' },
    data: {
      event: {
        event_id: 'ec5d2d7f0e8c4d0c8b6f2a3e9d1c7b4a', project: 42, release, title: 'ZeroDivisionError: division by zero', level: 'error',
        web_url: 'https://sentry.example.com/organizations/acme/issues/1170820243/events/ec5d2d7f0e8c4d0c8b6f2a3e9d1c7b4a/',
        issue_id: '1170820243', tags: [['environment', 'staging'], ['release', release], ['level', 'error']],
      },
      triggered_rule: 'New errors in api',
    },
    actor: { id: 'sentry', name: 'Sentry', type: 'application' },
  };
}

describe('POST /sentry/webhook', () => {
  let world: SignalsWorld;
  beforeEach(async () => {
    world = await startSignalsWorld({ soak: '60s' });
    await world.say('/deploy api v1.5.0 to staging canary 25%');
    await until('the canary rolling out', () => world.app.deploys.get('1'), (d) => d?.phase === 'rolling_out');
  });
  afterEach(async () => { await world.stop(); });

  it.each([
    ['missing', null],
    ['wrong', sign('another body')],
    ['foreign (another secret)', 'x'],
  ])('given a %s signature, when Sentry posts a new issue for the release, then it gets 401 and nothing changes', async (_what, signature) => {
    const body = newIssue('v1.5.0');
    const sig = signature === 'x' ? sign(JSON.stringify(body), 'someone-elses-secret') : signature;

    const res = await world.sentry('issue', body, { signature: sig });

    expect(res.status).toBe(401);
    expect((await world.app.deploys.get('1'))?.steering.abort).toBeUndefined();
  });

  it('given a new issue in another release, when it is signed correctly, then the deploy goes on', async () => {
    const res = await world.sentry('issue', newIssue('v1.4.0'));

    expect(res.status).toBe(200);
    expect(res.body.aborted).toEqual([]);
    expect((await world.app.deploys.get('1'))?.steering.abort).toBeUndefined();
  });

  it('given a new issue in the release being rolled out, when it is signed correctly, then the canary is rolled back and the card links the issue', async () => {
    const res = await world.sentry('issue', newIssue('api@v1.5.0'));

    expect(res.status).toBe(200);
    expect(res.body.aborted).toEqual(['1']);
    const d = await world.waitForPhase('1', [...END], 15_000);
    expect(d.phase).toBe('rolled_back');
    expect(d.summary).toContain('Sentry reported API-BACKEND-3');
    await world.app.cards.flush();
    expect(world.output()).toContain('https://sentry.example.com/organizations/acme/issues/1170820242/');
  });

  it('given an issue alert naming the project by id and the release, when it arrives during the soak, then it rolls back', async () => {
    await until('the soak', () => world.app.deploys.get('1'), (d) => d?.step === 'soak', 20_000);

    const res = await world.sentry('event_alert', issueAlert('v1.5.0'));

    expect(res.body.aborted).toEqual(['1']);
    const d = await world.waitForPhase('1', [...END], 15_000);
    expect(d.phase).toBe('rolled_back');
    expect(d.steering.abort?.signal).toMatchObject({ source: 'sentry', name: 'New errors in api', summary: 'ZeroDivisionError: division by zero' });
  });

  it('given a resolved issue or a comment, when it is signed, then nothing changes', async () => {
    const resolved = await world.sentry('issue', { ...newIssue('v1.5.0'), action: 'resolved' });
    const comment = await world.sentry('comment', { action: 'created', data: { comment: 'looks bad', project_slug: 'api-backend', issue_id: 1 } });

    expect([resolved.status, comment.status]).toEqual([200, 200]);
    expect((await world.app.deploys.get('1'))?.steering.abort).toBeUndefined();
  });

  it.each([
    ['6 minutes old', -6 * MINUTE],
    ['6 minutes ahead', 6 * MINUTE],
  ])('given a correctly signed new issue for the release stamped %s, when it arrives, then it gets 401 without the reason and nothing changes', async (_what, offset) => {
    const res = await world.sentry('issue', newIssue('api@v1.5.0'), { timestamp: unixSeconds(Date.now() + offset) });

    expect(res.status).toBe(401);
    expect(res.body.error).toEqual({ code: 'unauthorized', message: 'The Sentry delivery\'s signature or timestamp is not valid.' });
    expect((await world.app.deploys.get('1'))?.steering.abort).toBeUndefined();
  });

  it('given a correctly signed new issue with no Sentry-Hook-Timestamp, when it arrives, then it gets 401 and nothing changes', async () => {
    const res = await world.sentry('issue', newIssue('api@v1.5.0'), { timestamp: null });

    expect(res.status).toBe(401);
    expect((await world.app.deploys.get('1'))?.steering.abort).toBeUndefined();
  });

  it('given Sentry\'s clock 4 minutes behind ours, when a new issue for the release arrives, then it still rolls the canary back', async () => {
    const res = await world.sentry('issue', newIssue('api@v1.5.0', 'api-backend', new Date(Date.now() - 4 * MINUTE)), { timestamp: unixSeconds(Date.now() - 4 * MINUTE) });

    expect(res.status).toBe(200);
    expect(res.body.aborted).toEqual(['1']);
  });

  it('given a new issue that rolled back an attempt at the release, when its body is replayed with fresh headers during the next attempt, then it is acknowledged as a duplicate and the new attempt goes on', async () => {
    const captured = JSON.stringify(newIssue('api@v1.5.0'));
    expect((await world.sentry('issue', captured)).body.aborted).toEqual(['1']);
    expect((await world.waitForPhase('1', [...END], 15_000)).phase).toBe('rolled_back');
    await world.say('/deploy api v1.5.0 to staging canary 25%');
    await until('the second attempt rolling out', () => world.app.deploys.get('2'), (d) => d?.phase === 'rolling_out');

    const replay = await world.sentry('issue', captured);

    expect(replay.status).toBe(200);
    expect(replay.body).toEqual({ aborted: [], ignored: [], duplicate: true });
    expect((await world.app.deploys.get('2'))?.steering.abort).toBeUndefined();
  });

  it('given a new issue Sentry first saw 20 minutes before this deploy was requested, when it is delivered (a replay reaching a process that never saw it), then nothing changes', async () => {
    const res = await world.sentry('issue', newIssue('api@v1.5.0', 'api-backend', new Date(Date.now() - 20 * MINUTE)));

    expect(res.status).toBe(200);
    expect(res.body.aborted).toEqual([]);
    expect(res.body.ignored).toEqual([{ alert: 'API-BACKEND-3', why: 'it was first seen before #1 was requested' }]);
    expect((await world.app.deploys.get('1'))?.steering.abort).toBeUndefined();
  });
});
