/**
 * Foundation benchmark (issue 2): command → first reply latency, rollout-complete detection versus
 * `kubectl rollout status` on the same Deployment, and idle RSS of `deckhand start`.
 * Runs on loopback only, with a spawned redis-server and the simulated cluster. Writes bench/results/foundation.json.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import { ConsoleAdapter } from '../src/chat/console/index.ts';
import { loadConfigText } from '../src/config/index.ts';
import { startDeckhand } from '../src/main.ts';
import { createEmbeddedBackend, readPolicyDir } from '../src/policy/index.ts';
import { seedFromConfig } from '../src/sandbox/index.ts';
import { spawnRedis } from '../src/sandbox/redis-server.ts';
import { startSimCluster } from '@deckhand/sim/kube';
import { percentile, writeResult } from './results.ts';

const SERVICES = 20;
const ROUNDS = 5;

function benchConfig(): string {
  const lines = ['services:'];
  for (let i = 0; i < SERVICES; i++) {
    lines.push(`  svc${i}:`, '    team: bench', `    repository: acme/svc${i}`, `    image: registry.local/acme/svc${i}`,
      "    versionPattern: '^v\\d+\\.\\d+\\.\\d+$'",
      `    environments: { staging: { namespace: bench, deployment: svc${i}, container: app, replicas: 3, progressDeadlineSeconds: 30 } }`);
  }
  lines.push('groups: { bench: [alice] }', 'sandbox:', '  readyDelayMs: 100', '  services:');
  for (let i = 0; i < SERVICES; i++) lines.push(`    svc${i}: { running: v1.0.0, versions: [v1.0.0, v1.0.1, v1.0.2, v1.0.3, v1.0.4, v1.0.5, v1.0.6, v1.0.7, v1.0.8] }`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const redis = await spawnRedis();
  const loaded = loadConfigText(benchConfig(), 'bench.yaml', { LOG_LEVEL: 'silent' });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  const config = loaded.config;
  const { seed } = seedFromConfig(config);
  const sim = await startSimCluster({ seed, readyDelayMs: 100 });
  const dir = await mkdtemp(join(tmpdir(), 'deckhand-bench-'));
  const kubeconfig = join(dir, 'kubeconfig');
  await sim.writeKubeconfig(kubeconfig);
  const input = new PassThrough();
  const output = new PassThrough();
  output.resume();
  const lineDone = new Map<number, () => void>();
  const adapter = new ConsoleAdapter({ input, output, defaultUser: 'alice', live: false, onLineDone: (n) => { lineDone.get(n)?.(); } });
  const app = await startDeckhand({
    config, redisUrl: redis.url, kube: { kubeconfigPath: kubeconfig }, adapters: [adapter],
    policy: createEmbeddedBackend(await readPolicyDir('policies')), prefix: `bench${randomBytes(3).toString('hex')}`,
    worker: process.env.BENCH_NO_WORKER ? false : { concurrency: 32 },
  });
  // The moment Deckhand records a deploy's end (the event it emits right after the record is written).
  const finishedAt = new Map<string, (t: number) => void>();
  app.onDeployEvent((e) => { if (e.kind === 'phase' && (e.phase === 'succeeded' || e.phase === 'failed')) finishedAt.get(e.deploy.id)?.(performance.now()); });
  const detected = (deployId: string): Promise<number> => new Promise((r) => finishedAt.set(deployId, r));
  let line = 0;
  const say = async (text: string): Promise<number> => {
    const n = ++line;
    const started = performance.now();
    const done = new Promise<void>((r) => lineDone.set(n, r));
    input.write(`${text}\n`);
    await done;
    return performance.now() - started;
  };

  // 1. Command → first reply: real deploy requests (policy, record, lock, enqueue), plus /status reads.
  //    "underLoad": each round asks for 20 deploys back to back while the earlier ones already roll out in this process.
  const deployReplyMs: number[] = [];
  const statusReplyMs: number[] = [];
  let id = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    for (let i = 0; i < SERVICES; i++) deployReplyMs.push(await say(`/deploy svc${i} v1.0.${round} to staging`));
    for (let i = 0; i < SERVICES; i++) {
      id++;
      for (;;) {
        const d = await app.deploys.get(String(id));
        if (d && (d.phase === 'succeeded' || d.phase === 'failed' || d.phase === 'rolled_back')) break;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    statusReplyMs.push(await say('/status svc0'));
  }

  // 1b. The same request with nothing else running: deploy, wait for it to finish, repeat.
  const quietMs: number[] = [];
  for (let i = 0; i < 40; i++) {
    // Every deploy an upgrade (v1.0.6, then v1.0.7): the shipped policy refuses a downgrade without a reason.
    quietMs.push(await say(`/deploy svc${i % SERVICES} v1.0.${6 + Math.floor(i / SERVICES)} to staging`));
    id++;
    for (;;) {
      const d = await app.deploys.get(String(id));
      if (d && (d.phase === 'succeeded' || d.phase === 'failed' || d.phase === 'rolled_back')) break;
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  // 2. Rollout-complete detection: once Deckhand has patched the Deployment, `kubectl rollout status` is started on
  //    it at that same moment; both then follow the same rollout to its end.
  const ratios: { deckhandMs: number; kubectlMs: number }[] = [];
  for (let i = 0; i < 5; i++) {
    const svc = `svc${i}`;
    id++;
    const myId = String(id);
    const finished = detected(myId);
    await say(`/deploy ${svc} v1.0.8 to staging`);
    for (;;) {
      const d = await app.deploys.get(myId);
      if (d?.step === 'await') break;
      await new Promise((r) => setTimeout(r, 2));
    }
    const t0 = performance.now();
    const kubectlDone = new Promise<number>((resolve) => {
      const p = spawn('kubectl', ['rollout', 'status', `deploy/${svc}`, '-n', 'bench', '--timeout=60s'], { env: { ...process.env, KUBECONFIG: kubeconfig }, stdio: 'ignore' });
      p.on('exit', () => resolve(performance.now() - t0));
    });
    const deckhandMs = await finished - t0;
    ratios.push({ deckhandMs: Math.round(deckhandMs), kubectlMs: Math.round(await kubectlDone) });
  }
  await app.stop();
  await sim.close();

  // 3. Idle RSS of `deckhand start`, through the installed bin with the V8 flags it runs with (redis-server is its
  // own process). First the sandbox: console chat plus the simulated cluster, Prometheus, GitHub and Discord in the
  // same process. Then the bot alone, as in a pod: the cluster is `deckhand sim` in another process, Prometheus and
  // GitHub are addresses (nothing calls them while idle).
  const env = { ...process.env, REDIS_URL: redis.url, PATH: `node_modules/.bin:${process.env.PATH}` };
  // As after `npm run sandbox`'s install step or the image build: the stripped sources are cached.
  spawnSync(process.execPath, ['bin/stripped-sources.js'], { stdio: 'ignore' });
  const sandboxRssKb = await idleRssKb(spawn('bin/deckhand.js', ['start'], { stdio: ['pipe', 'ignore', 'ignore'], env }));
  const kubeconfigPath = join(await mkdtemp(join(tmpdir(), 'deckhand-bench-')), 'kubeconfig');
  const cluster = spawn('bin/deckhand.js', ['sim', '--kubeconfig', kubeconfigPath], { stdio: ['ignore', 'pipe', 'ignore'], env });
  await new Promise((r) => createInterface({ input: cluster.stdout! }).once('line', r));
  const botRssKb = await idleRssKb(spawn('bin/deckhand.js', ['start'], {
    stdio: ['pipe', 'ignore', 'ignore'],
    env: { ...env, KUBECONFIG: kubeconfigPath, PROMETHEUS_URL: 'http://127.0.0.1:9', GITHUB_API_URL: 'http://127.0.0.1:9' },
  }));
  cluster.kill('SIGTERM');
  await new Promise((r) => cluster.once('exit', r));
  await redis.stop();

  const result = {
    commandToFirstReplyMs: {
      deployUnderLoad: { samples: deployReplyMs.length, p50: percentile(deployReplyMs, 50), p99: percentile(deployReplyMs, 99) },
      deployQuiet: { samples: quietMs.length, p50: percentile(quietMs, 50), p99: percentile(quietMs, 99) },
      status: { samples: statusReplyMs.length, p50: percentile(statusReplyMs, 50), p99: percentile(statusReplyMs, 99) },
    },
    rolloutDetection: {
      runs: ratios,
      meanRatioDeckhandOverKubectl: ratios.reduce((s, r) => s + r.deckhandMs / r.kubectlMs, 0) / ratios.length,
      goal: '<= 1.0',
    },
    idleRssMb: { value: Math.round(sandboxRssKb / 1024), botAlone: Math.round(botRssKb / 1024), goal: '< 150' },
  };
  await writeResult('foundation', result);
}

/** VmRSS of a started process after 6 s at rest; then it is stopped (stdin closed, as Ctrl-D). */
async function idleRssKb(child: ChildProcess): Promise<number> {
  await new Promise((r) => setTimeout(r, 6000));
  const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
  child.stdin?.end();
  await new Promise((r) => child.once('exit', r));
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

await main();
