import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { startSlackApiServer, type SlackApiServer } from '../../helpers/slack-api-server.ts';
import { sendToSlackApp, slashCommandBody } from '../../helpers/slack-request.ts';
import { WORLD_CONFIG } from '../../helpers/world.ts';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('deckhand start with Slack credentials and no KUBECONFIG', () => {
  let child: ChildProcess | undefined;
  let slack: SlackApiServer | undefined;
  afterEach(async () => {
    child?.kill('SIGTERM');
    await slack?.close();
  });

  it('serves Slack over HTTP on PORT against the simulated cluster: /deploy → card → rollout', async () => {
    slack = await startSlackApiServer({ users: [{ id: 'U0ALICE', name: 'alice' }] });
    const dir = await mkdtemp(join(tmpdir(), 'deckhand-slack-'));
    const configPath = join(dir, 'deckhand.yaml');
    await writeFile(configPath, WORLD_CONFIG);
    const port = await freePort();
    const secret = 'sandbox-signing-secret';
    child = spawn(process.execPath, ['bin/deckhand.js', 'start'], {
      env: {
        PATH: process.env.PATH, HOME: process.env.HOME, DECKHAND_CONFIG: configPath, REDIS_URL: inject('redisUrl'), PORT: String(port), LOG_LEVEL: 'warn',
        SLACK_BOT_TOKEN: 'xoxb-sandbox-test', SLACK_SIGNING_SECRET: secret, SLACK_API_URL: slack.apiUrl,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout?.on('data', (c: Buffer) => { out += c.toString('utf8'); });
    child.stderr?.on('data', (c: Buffer) => { out += c.toString('utf8'); });
    const deadline = Date.now() + 30_000;
    while (!out.includes('Deckhand serving Slack')) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`deckhand start did not come up:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(out).toContain(`port ${port}`);
    expect(out).toContain('cluster: simulated');

    const sent = await sendToSlackApp(`http://127.0.0.1:${port}/slack/events`, slashCommandBody({
      command: '/deploy', text: 'api v1.5.0 to staging', userId: 'U0ALICE', userName: 'alice', triggerId: 'sandbox.1', responseUrl: slack.responseUrl('sandbox-1'),
    }), { sign: secret });

    expect(sent.status).toBe(200);
    expect(String((await slack.waitFor((c) => c.method === 'response_url')).args.text)).toMatch(/#\d+/);
    const done = await slack.waitFor((c) => c.method === 'chat.update' && String(c.args.text).includes('✅ Succeeded'), 30_000);
    expect(String(done.args.text)).toMatch(/#\d+ api v1.5.0/);
    expect(out).not.toContain('xoxb-sandbox-test');
  }, 60_000);
});
