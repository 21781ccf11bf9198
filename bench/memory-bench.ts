/**
 * Idle memory (issue 15): the resident set of `deckhand start` serving Slack — the bot alone, as in a pod, with the
 * cluster in `deckhand sim` in another process and Redis its own process — against a bare Bolt app
 * (bench/bare-bolt-app.mjs) measured in the same run, on the same Node and V8 flags. Each is read after 8 s at rest.
 * Writes bench/results/memory.json. Goal: Deckhand ≤ 1.5 × the bare Bolt app.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort, spawnRedis } from '../src/sandbox/index.ts';
import { startSlackApiServer } from '../test/helpers/slack-api-server.ts';
import { writeResult } from './results.ts';

/** The V8 flags bin/deckhand.js runs with, so both processes are measured alike. */
const V8_FLAGS = (await readFile('bin/deckhand.js', 'utf8')).match(/^#!.*?node\s+(.*)$/m)?.[1]?.split(/\s+/).filter((f) => f.startsWith('--')) ?? [];

async function idleRssMb(child: ChildProcess, settleMs = 8000): Promise<number> {
  await new Promise((r) => setTimeout(r, settleMs));
  const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
  child.stdin?.end();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

const redis = await spawnRedis();
const slack = await startSlackApiServer({ users: [{ id: 'U0YOU', name: 'you' }] });
spawnSync(process.execPath, ['bin/stripped-sources.js'], { stdio: 'ignore' });
const env = { ...process.env, PATH: `node_modules/.bin:${process.env.PATH}`, REDIS_URL: redis.url, SLACK_SIGNING_SECRET: 'bench-signing-secret', SLACK_BOT_TOKEN: 'xoxb-bench-token', SLACK_API_URL: slack.apiUrl, LOG_LEVEL: 'warn' };

const kubeconfig = join(await mkdtemp(join(tmpdir(), 'deckhand-memory-')), 'kubeconfig');
const cluster = spawn('bin/deckhand.js', ['sim', '--kubeconfig', kubeconfig], { stdio: ['ignore', 'pipe', 'ignore'], env });
await new Promise((r) => createInterface({ input: cluster.stdout! }).once('line', r));

const samples: { deckhandMb: number; bareBoltMb: number }[] = [];
for (let i = 0; i < 3; i++) {
  const deckhandMb = await idleRssMb(spawn('bin/deckhand.js', ['start'], { stdio: ['pipe', 'ignore', 'ignore'], env: { ...env, PORT: String(await freePort()), KUBECONFIG: kubeconfig, GITHUB_API_URL: 'http://127.0.0.1:9' } }));
  const bareBoltMb = await idleRssMb(spawn(process.execPath, [...V8_FLAGS, 'bench/bare-bolt-app.mjs'], { stdio: ['pipe', 'ignore', 'ignore'], env: { ...env, PORT: String(await freePort()) } }));
  samples.push({ deckhandMb, bareBoltMb });
}
cluster.kill('SIGTERM');
await new Promise((r) => cluster.once('exit', r));
await slack.close();
await redis.stop();

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const deckhandMb = median(samples.map((s) => s.deckhandMb));
const bareBoltMb = median(samples.map((s) => s.bareBoltMb));
await writeResult('memory', {
  v8Flags: V8_FLAGS,
  samples,
  idleRssMb: { deckhandServingSlack: deckhandMb, bareBoltApp: bareBoltMb, ratio: Math.round((deckhandMb / bareBoltMb) * 100) / 100 },
  goal: 'deckhand <= 1.5 x bare Bolt app',
});
