import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { freePort } from '../../src/sandbox/redis-server.ts';
import { buildBundle } from '../../scripts/build.ts';
import { copyImageFiles } from '../helpers/image-layout.ts';
import { spawnServing, type ServingProcess } from '../helpers/serving-process.ts';
import { startSlackApiServer, type SlackApiServer } from '../helpers/slack-api-server.ts';
import { signSlackRequest, slashCommandBody } from '../helpers/slack-request.ts';

const SIGNING_SECRET = 'bundle-test-signing-secret-1234';
const BOT_TOKEN = 'xoxb-bundle-test-token-5678';
const V8_FLAGS = (await readFile('bin/deckhand.js', 'utf8')).match(/^#!.*?node\s+(.*)$/m)?.[1]?.split(/\s+/) ?? [];

/**
 * The image as the Dockerfile lays it out — the files its runtime stage copies and the bundle of `npm run build` in
 * dist/, and no node_modules anywhere above it — started the way its entrypoint starts it, serving Slack, with a
 * cluster of its own as in a pod (`deckhand sim` in another process, from the sources).
 */
describe('the bundle the image runs (npm run build)', () => {
  let root: string;
  let slack: SlackApiServer;
  let child: ChildProcess;
  let base: string;
  let cluster: ChildProcess;
  let serving: ServingProcess;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'deckhand-image-'));
    expect(await copyImageFiles(root)).toEqual(expect.arrayContaining(['package.json', 'deckhand.yaml', 'policies']));
    // The example config, with its console user linked to the Slack account that speaks here (people are ids).
    const config = join(root, 'deckhand.yaml');
    await writeFile(config, (await readFile(config, 'utf8')).replace(/^ {2}you: \{\}.*$/m, '  you: { slack: U0YOU }'));
    const built = await buildBundle(join(root, 'dist'));
    expect(built.warnings).toEqual([]);

    slack = await startSlackApiServer({ users: [{ id: 'U0YOU', name: 'you' }] });
    const kubeconfig = join(root, 'kubeconfig');
    cluster = spawn('node', ['bin/deckhand.js', 'sim', '--kubeconfig', kubeconfig], { env: { ...process.env, PATH: `${process.cwd()}/node_modules/.bin:${process.env.PATH}` }, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((resolve) => createInterface({ input: cluster.stdout! }).once('line', resolve));
    const port = await freePort();
    serving = await spawnServing(process.execPath, [...V8_FLAGS, 'dist/deckhand.js', 'start'], {
      port,
      cwd: root,
      env: {
        PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), REDIS_URL: inject('redisUrl'), KUBECONFIG: kubeconfig,
        // A GitHub that is configured but not there: nothing but the cluster is needed to serve.
        GITHUB_API_URL: 'http://127.0.0.1:9',
        SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: slack.apiUrl, LOG_LEVEL: 'info',
      },
    });
    ({ child, base } = serving);
  }, 90_000);

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    if (cluster && cluster.exitCode === null) cluster.kill('SIGTERM');
    await slack?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('is ASCII only, so Node keeps every chunk in memory at one byte per character', async () => {
    const dist = join(root, 'dist');
    const scripts = (await readdir(dist)).filter((f) => f.endsWith('.js'));
    expect(scripts).toContain('deckhand.js');
    for (const file of scripts) {
      expect(/[\u0080-\uFFFF]/.test(await readFile(join(dist, file), 'utf8')), file).toBe(false);
    }
  });

  it('answers the CLI as the sources do: the version from package.json, and --help', () => {
    const version = spawnSync(process.execPath, ['dist/deckhand.js', 'version'], { cwd: root, encoding: 'utf8' });
    expect(version.status).toBe(0);
    expect(version.stdout).toMatch(/^deckhand \d+\.\d+\.\d+ \(Node 24\./);
    const help = spawnSync(process.execPath, ['dist/deckhand.js', 'start', '--help'], { cwd: root, encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: deckhand start');
  });

  it('takes a signed slash command and answers it from the cluster, through client-node and the shipped policies', async () => {
    const req = slashCommandBody({ command: '/status', text: 'api', userId: 'U0YOU', userName: 'you', triggerId: 't-bundle-1', responseUrl: slack.responseUrl('r1') });
    const unsigned = await fetch(`${base}/slack/events`, { method: 'POST', headers: { 'content-type': req.contentType }, body: req.body });
    expect(unsigned.status).toBe(401);
    const res = await fetch(`${base}/slack/events`, { method: 'POST', headers: { 'content-type': req.contentType, ...signSlackRequest(SIGNING_SECRET, req.body) }, body: req.body });
    expect(res.status).toBe(200);
    // The simulated cluster is seeded from deckhand.yaml, where api runs v1.4.0 in production.
    const reply = await slack.waitFor((c) => JSON.stringify(c.args).includes('v1.4.0'), 30_000);
    expect(JSON.stringify(reply.args)).toContain('api');
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/deckhand_chat_ack_seconds_count\{platform="slack"\} [1-9]/);
  }, 60_000);

  it('stops on SIGTERM with exit code 0, and never logs a secret', async () => {
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit') as [number | null];
    expect(code).toBe(0);
    for (const secret of [SIGNING_SECRET, BOT_TOKEN]) expect(serving.output()).not.toContain(secret);
  }, 40_000);
});
