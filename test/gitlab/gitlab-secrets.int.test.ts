import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { secretsOf } from '../../src/config/index.ts';
import { createLogger } from '../../src/telemetry/index.ts';
import { GITLAB_TOKEN, startGitLabWorld, type GitLabWorld } from './gitlab-world.ts';

const WEBHOOK_TOKEN = 'leakcheck-gitlab-hook-5e0c1b';

describe('GitLab secrets stay out of logs and chat', () => {
  let world: GitLabWorld;
  afterEach(async () => {
    await world.stop();
  });

  it('given GITLAB_TOKEN and GITLAB_WEBHOOK_TOKEN, when a build succeeds, one fails and a forged hook is refused, then no log line or chat message contains either', async () => {
    const lines: string[] = [];
    const destination = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(chunk.toString('utf8')); done(); } });
    world = await startGitLabWorld({
      webhookToken: WEBHOOK_TOKEN, env: { LOG_LEVEL: 'debug' },
      // The logger as `deckhand start` builds it: the configured secrets masked wherever they appear.
      log: (config) => createLogger({ level: 'debug', secrets: secretsOf(config), destination }),
    });
    expect(secretsOf(world.config)).toEqual(expect.arrayContaining([GITLAB_TOKEN, WEBHOOK_TOKEN]));

    // GitLab refuses the request-time tag check: logged with its error (the build step checks again).
    world.gitlab.rateLimit({ count: 1, retryAfterSec: 0 });
    await world.say('/deploy billing v3.1.1 to staging');
    await world.waitForPhase('1', 'succeeded', 30_000);
    await world.say('/deploy billing v3.2.0 to staging');
    await world.waitForPhase('2', 'failed', 30_000);
    const forged = await fetch(`${world.app.http?.url}/gitlab/webhook`, { method: 'POST', body: '{}', headers: { 'x-gitlab-event': 'Pipeline Hook', 'x-gitlab-token': `${WEBHOOK_TOKEN.slice(0, -1)}x` } });
    expect(forged.status).toBe(401);
    await world.app.cards.flush();

    expect(lines.some((l) => l.includes('version check skipped') && l.includes('GitLab asked Deckhand to slow down'))).toBe(true);
    for (const secret of [GITLAB_TOKEN, WEBHOOK_TOKEN]) {
      expect(lines.filter((l) => l.includes(secret)), 'a log line contains a GitLab secret').toEqual([]);
      expect(world.output()).not.toContain(secret);
    }
  });
});
