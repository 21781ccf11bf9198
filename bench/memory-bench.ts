/**
 * Idle memory (issue 15): the resident set of `deckhand start` serving Slack — the bot alone, as in a pod, with the
 * cluster in `deckhand sim` in another process and Redis its own process — against a bare Bolt app
 * (bench/bare-bolt-app.mjs) measured in the same run, on the same Node and V8 flags. Deckhand is measured as the image
 * runs it (the bundle of `npm run build`, scripts/build.ts) and as a checkout runs it (bin/deckhand.js, the sources).
 * Each is read after 12 s at rest, five rounds. Writes bench/results/memory.json. Goal: the image's start ≤ 1.5 × the
 * bare Bolt app, in every round.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort, spawnRedis } from '../src/sandbox/index.ts';
import { buildBundle } from '../scripts/build.ts';
import { copyImageFiles } from '../test/helpers/image-layout.ts';
import { startSlackApiServer } from '../test/helpers/slack-api-server.ts';
import { SHIPPED_MALLOC_ENV, SHIPPED_V8_FLAGS } from './as-shipped.ts';
import { writeResult } from './results.ts';

async function idleRssMb(child: ChildProcess, settleMs = 12_000): Promise<number> {
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
// The image's layout (the Dockerfile's runtime COPY lines) beside dist/, and no node_modules.
const image = await mkdtemp(join(tmpdir(), 'deckhand-image-'));
await copyImageFiles(image);
const bundle = await buildBundle(join(image, 'dist'));
const env = { ...process.env, PATH: `node_modules/.bin:${process.env.PATH}`, REDIS_URL: redis.url, SLACK_SIGNING_SECRET: 'bench-signing-secret', SLACK_BOT_TOKEN: 'xoxb-bench-token', SLACK_API_URL: slack.apiUrl, LOG_LEVEL: 'warn', ...SHIPPED_MALLOC_ENV };

const kubeconfig = join(await mkdtemp(join(tmpdir(), 'deckhand-memory-')), 'kubeconfig');
const cluster = spawn('bin/deckhand.js', ['sim', '--kubeconfig', kubeconfig], { stdio: ['ignore', 'pipe', 'ignore'], env });
await new Promise((r) => createInterface({ input: cluster.stdout! }).once('line', r));

const samples: { bundleMb: number; sourcesMb: number; bareBoltMb: number }[] = [];
const deckhandEnv = async (): Promise<NodeJS.ProcessEnv> => ({ ...env, PORT: String(await freePort()), KUBECONFIG: kubeconfig, GITHUB_API_URL: 'http://127.0.0.1:9' });
for (let i = 0; i < 5; i++) {
  const bundleMb = await idleRssMb(spawn(process.execPath, [...SHIPPED_V8_FLAGS, bundle.entry, 'start'], { cwd: image, stdio: ['pipe', 'ignore', 'ignore'], env: await deckhandEnv() }));
  const sourcesMb = await idleRssMb(spawn('bin/deckhand.js', ['start'], { stdio: ['pipe', 'ignore', 'ignore'], env: await deckhandEnv() }));
  const bareBoltMb = await idleRssMb(spawn(process.execPath, [...SHIPPED_V8_FLAGS, 'bench/bare-bolt-app.mjs'], { stdio: ['pipe', 'ignore', 'ignore'], env: { ...env, PORT: String(await freePort()) } }));
  samples.push({ bundleMb, sourcesMb, bareBoltMb });
}
cluster.kill('SIGTERM');
await new Promise((r) => cluster.once('exit', r));
await slack.close();
await redis.stop();
await rm(image, { recursive: true, force: true });

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const ratio = (a: number, b: number): number => Math.round((a / b) * 100) / 100;
const bareBoltMb = median(samples.map((s) => s.bareBoltMb));
await writeResult('memory', {
  v8Flags: SHIPPED_V8_FLAGS,
  mallocEnv: SHIPPED_MALLOC_ENV,
  samples,
  idleRssMb: {
    deckhandImage: median(samples.map((s) => s.bundleMb)),
    deckhandCheckout: median(samples.map((s) => s.sourcesMb)),
    bareBoltApp: bareBoltMb,
  },
  ratioToBareBolt: {
    image: { median: ratio(median(samples.map((s) => s.bundleMb)), bareBoltMb), worstRound: Math.max(...samples.map((s) => ratio(s.bundleMb, s.bareBoltMb))) },
    checkout: { median: ratio(median(samples.map((s) => s.sourcesMb)), bareBoltMb), worstRound: Math.max(...samples.map((s) => ratio(s.sourcesMb, s.bareBoltMb))) },
  },
  goal: "the image's deckhand start <= 1.5 x bare Bolt app, in every round",
});
