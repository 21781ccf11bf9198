import { execFileSync, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/sandbox/redis-server.ts';
import { spawnServing } from '../helpers/serving-process.ts';
import { startSlackApiServer, type SlackApiServer } from '../helpers/slack-api-server.ts';
import { signSlackRequest, slashCommandBody } from '../helpers/slack-request.ts';

const SIGNING_SECRET = 'crash-test-signing-secret-4711';
const BOT_TOKEN = 'xoxb-crash-test-token-0815';

/** Every process below `pid`, with its command name (from ps: no library, no guessing). */
function descendants(pid: number): { pid: number; comm: string }[] {
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,comm='], { encoding: 'utf8' }).trim().split('\n')
    .map((l) => l.trim().split(/\s+/)).map(([p, pp, c]) => ({ pid: Number(p), ppid: Number(pp), comm: c ?? '' }));
  const out: { pid: number; comm: string }[] = [];
  const walk = (parent: number): void => {
    for (const r of rows.filter((x) => x.ppid === parent)) {
      out.push({ pid: r.pid, comm: r.comm });
      walk(r.pid);
    }
  };
  walk(pid);
  return out;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * `deckhand start` with Slack and nothing else configured, as a real process: it spawns its own redis-server.
 * A signed body Bolt cannot read must leave it serving; SIGKILL must take its redis-server with it.
 */
describe('deckhand start: no request stops it, and its redis-server never outlives it', () => {
  let slack: SlackApiServer;
  let child: ChildProcess;
  let base: string;

  beforeAll(async () => {
    slack = await startSlackApiServer({ users: [{ id: 'U0YOU', name: 'you' }] });
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env, PATH: `${process.cwd()}/node_modules/.bin:${process.env.PATH}`, PORT: String(port),
      SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: slack.apiUrl, LOG_LEVEL: 'info',
    };
    // No REDIS_URL: the sandbox spawns a private redis-server.
    delete env.REDIS_URL;
    ({ child, base } = await spawnServing('node', ['bin/deckhand.js', 'start'], { port, env }));
  }, 60_000);

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await slack.close();
  });

  it('answers signed payload=null (and other bodies Bolt cannot read) with 400 and keeps serving', async () => {
    for (const body of ['payload=null', 'payload=%5B%5D', 'payload=1', 'user_id=U0YOU']) {
      const res = await fetch(`${base}/slack/events`, {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...signSlackRequest(SIGNING_SECRET, body) }, body,
      });
      expect(res.status, body).toBe(400);
    }
    expect(child.exitCode).toBeNull();
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const req = slashCommandBody({ command: '/help', text: '', userId: 'U0YOU', userName: 'you', triggerId: 't-crash-1', responseUrl: slack.responseUrl('r1') });
    const res = await fetch(`${base}/slack/events`, { method: 'POST', headers: { 'content-type': req.contentType, ...signSlackRequest(SIGNING_SECRET, req.body) }, body: req.body });
    expect(res.status).toBe(200);
    await slack.waitFor((c) => c.method === 'response_url' && c.args.url === '/respond/r1', 10_000);
  });

  it('takes its redis-server down with it when killed with SIGKILL', async () => {
    const redis = descendants(child.pid ?? 0).filter((p) => p.comm.startsWith('redis-server'));
    expect(redis).toHaveLength(1);
    const redisPid = redis[0]?.pid ?? 0;
    expect(isAlive(redisPid)).toBe(true);

    child.kill('SIGKILL');
    const deadline = Date.now() + 5000;
    while (isAlive(redisPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(isAlive(redisPid), `redis-server ${redisPid} outlived Deckhand`).toBe(false);
  }, 20_000);
});
