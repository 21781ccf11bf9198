/**
 * Alert benchmark (issue 17): BENCH_SOAKING (default 50) canaries promoted and soaking at once, then one firing
 * Alertmanager alert each — real HTTP POSTs of the v4 payload to /alertmanager/webhook, all at once. Measured per
 * deploy: from the alert reaching Deckhand (the webhook's receipt, `steering.abort.signal.receivedAt`) to the write
 * that puts traffic back on the previous version, still running (`state.trafficRestoredAt`); and from the POST being
 * sent. Goal: p99 < 2 s. Writes bench/results/alert.json.
 *
 * Deckhand runs as in production: one instance takes HTTP (webhooks) without a worker, BENCH_WORKERS (default 2)
 * instances run the steps, all on one Redis, built by the composition root. The simulated cluster and Prometheus run
 * in a child process, as `deckhand sim` would.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { loadConfigText } from '../src/config/index.ts';
import type { ChatEvent } from '../src/chat/types.ts';
import { isEndPhase, type Deploy } from '../src/deploy/index.ts';
import { startDeckhand, type Deckhand } from '../src/main.ts';
import { createEmbeddedBackend, readPolicyDir } from '../src/policy/index.ts';
import { seedFromConfig } from '../src/sandbox/index.ts';
import { spawnRedis } from '../src/sandbox/redis-server.ts';
import { startSimCluster } from '@deckhand/sim/kube';
import { startSimPrometheus } from '@deckhand/sim/prometheus';
import { simMetricsFromConfig } from '../src/sandbox/sim-metrics-from-config.ts';
import { percentile, writeResult } from './results.ts';

const SOAKING = Number(process.env.BENCH_SOAKING ?? 50);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const TOKEN = 'bench-alertmanager-token-0123456789';
const SOAK = '10m';

function benchConfig(): string {
  const lines = ['services:'];
  for (let i = 0; i < SOAKING; i++) {
    lines.push(`  svc${i}:`, '    team: bench', `    repository: acme/svc${i}`, `    image: registry.local/acme/svc${i}`,
      "    versionPattern: '^v\\d+\\.\\d+\\.\\d+$'",
      `    environments: { staging: { namespace: bench, deployment: svc${i}, container: app, replicas: 2, progressDeadlineSeconds: 60 } }`,
      '    canary: { steps: [25, 100], hold: 1s }',
      '    analysis: { interval: 5s }',
      `    soak: ${SOAK}`);
  }
  lines.push('groups: { bench: [alice] }', 'sandbox:', '  readyDelayMs: 100', '  services:');
  for (let i = 0; i < SOAKING; i++) lines.push(`    svc${i}: { running: v1.0.0, versions: [v1.0.0, v1.1.0] }`);
  return lines.join('\n');
}

function loadBenchConfig() {
  const loaded = loadConfigText(benchConfig(), 'bench.yaml', { LOG_LEVEL: 'silent', ALERTMANAGER_TOKEN: TOKEN });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems.slice(0, 3)));
  return loaded.config;
}

function deployEvent(text: string, n: number): ChatEvent {
  return { kind: 'message', platform: 'console', channel: 'bench', deliveryId: `alert-bench-${n}-${randomBytes(3).toString('hex')}`, addressed: true, text, actor: { id: 'alice', name: 'alice', platform: 'console', groups: [] } };
}

/** One alert, as Alertmanager's webhook receiver sends it (payload version 4). */
function alertBody(service: string): string {
  const labels = { alertname: 'HighErrorRate', service, env: 'staging', severity: 'page' };
  return JSON.stringify({
    version: '4', groupKey: `{}:{service="${service}"}`, truncatedAlerts: 0, status: 'firing', receiver: 'deckhand',
    groupLabels: { service }, commonLabels: labels, commonAnnotations: { summary: `${service} 5xx above 5%` }, externalURL: 'http://alertmanager.local:9093',
    alerts: [{ status: 'firing', labels, annotations: { summary: `${service} 5xx above 5%` }, startsAt: new Date().toISOString(), endsAt: '0001-01-01T00:00:00Z', generatorURL: 'http://prometheus.local:9090/graph', fingerprint: randomBytes(8).toString('hex') }],
  });
}

async function waitFor(app: Deckhand, ids: string[], ok: (d: Deploy) => boolean, what: string, timeoutMs: number): Promise<Map<string, Deploy>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const all = await Promise.all(ids.map((id) => app.deploys.get(id)));
    const bad = all.filter((d) => d && isEndPhase(d.phase) && !ok(d));
    if (bad.length) throw new Error(`${bad.length} deploys ended early, e.g. #${bad[0]?.id} ${bad[0]?.phase}: ${bad[0]?.summary}`);
    if (all.every((d) => d && ok(d))) return new Map(all.map((d) => [d!.id, d!]));
    if (Date.now() > deadline) throw new Error(`${all.filter((d) => !d || !ok(d)).length} deploys not ${what} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function runSimChild(): Promise<void> {
  const config = loadBenchConfig();
  const sim = await startSimCluster({ seed: seedFromConfig(config).seed, readyDelayMs: 100 });
  const prometheus = await startSimPrometheus({ kubeUrl: sim.url, ...simMetricsFromConfig(config), snapshotTtlMs: 500 });
  process.stdout.write(`${JSON.stringify({ kubeconfig: sim.kubeconfig(), prometheusUrl: prometheus.url })}\n`);
  process.stdin.resume();
  await new Promise((r) => process.stdin.once('end', r));
  await prometheus.close();
  await sim.close();
}

async function main(): Promise<void> {
  const redis = await spawnRedis();
  const loaded = loadBenchConfig();
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1] ?? 'bench/alert-bench.ts', '--sim-child'], { stdio: ['pipe', 'pipe', 'inherit'], env: process.env });
  const ready = JSON.parse(await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve))) as { kubeconfig: string; prometheusUrl: string };
  const config = { ...loaded, runtime: { ...loaded.runtime, prometheusUrl: ready.prometheusUrl } };
  const policy = createEmbeddedBackend(await readPolicyDir('policies'));
  const prefix = `abench${randomBytes(3).toString('hex')}`;
  const common = { config, redisUrl: redis.url, kube: { kubeconfigYaml: ready.kubeconfig }, policy, adapters: [], prefix, progressive: { podUrl: (ns: string, pod: string) => `${ready.prometheusUrl}/sim/pods/${ns}/${pod}` } };
  const front = await startDeckhand({ ...common, worker: false, http: { port: 0, host: '127.0.0.1' } });
  const workers: Deckhand[] = [];
  for (let i = 0; i < WORKERS; i++) workers.push(await startDeckhand({ ...common, worker: { concurrency: CONCURRENCY } }));
  const url = front.http?.url ?? '';

  // 1. SOAKING canaries, promoted and soaking at once (traffic on the new version, the previous one warm).
  const t0 = performance.now();
  let n = 0;
  const ids = await Promise.all(Array.from({ length: SOAKING }, async (_, i) => {
    let said = '';
    const r = await front.pipeline.handle(deployEvent(`/deploy svc${i} v1.1.0 to staging canary 25%`, ++n), async (reply) => { said = reply.text.toString(); });
    if (!r.deployId || r.failed) throw new Error(`refused: svc${i}: ${said}`);
    return r.deployId;
  }));
  await waitFor(front, ids, (d) => d.phase === 'watching' && d.step === 'soak', 'soaking', 300_000);
  const soakingAfterMs = Math.round(performance.now() - t0);
  console.log(`${SOAKING} deploys soaking after ${soakingAfterMs} ms`);

  // 2. One alert each, all at once, as separate POSTs.
  const sentAt = new Map<string, number>();
  const statuses = await Promise.all(ids.map(async (id, i) => {
    sentAt.set(id, Date.now());
    const res = await fetch(`${url}/alertmanager/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: alertBody(`svc${i}`) });
    await res.arrayBuffer();
    return res.status;
  }));
  const ended = await waitFor(front, ids, (d) => isEndPhase(d.phase), 'ended', 120_000);

  const fromReceipt: number[] = [];
  const fromSend: number[] = [];
  const phases: Record<string, number> = {};
  let selectorsBack = 0;
  for (const [i, id] of ids.entries()) {
    const d = ended.get(id)!;
    phases[d.phase] = (phases[d.phase] ?? 0) + 1;
    const restored = Number(d.state.trafficRestoredAt);
    const received = d.steering.abort?.signal?.receivedAt;
    if (Number.isFinite(restored) && received !== undefined) {
      fromReceipt.push(restored - received);
      fromSend.push(restored - (sentAt.get(id) ?? received));
    }
    // Traffic is on the previous version: the Service selects the stable Deployment's pods again, which run it.
    const selector = await front.kube.readServiceSelector('bench', `svc${i}`);
    const stable = await front.kube.readDeployment('bench', `svc${i}`);
    if (selector && !('deckhand.io/track' in selector) && stable.images.app === `registry.local/acme/svc${i}:v1.0.0`) selectorsBack++;
  }

  for (const w of workers) await w.stop();
  await front.stop();
  child.stdin?.end();
  await new Promise((r) => child.once('exit', r));
  await redis.stop();

  await writeResult('alert', {
    setup: { soaking: SOAKING, soak: SOAK, strategy: 'canary by replica ratio (steps 25, 100), soaking with the previous version kept at full size', replicasPerService: 2, workers: { instances: WORKERS, concurrencyEach: CONCURRENCY }, webhookInstance: 'separate, no worker' },
    soakingAfterMs,
    webhookStatuses: Object.fromEntries([...new Set(statuses)].map((s) => [s, statuses.filter((x) => x === s).length])),
    phases,
    trafficBackOnPrevious: selectorsBack,
    latencyMs: {
      fromAlertReceived: { p50: percentile(fromReceipt, 50), p99: percentile(fromReceipt, 99), max: Math.max(...fromReceipt), count: fromReceipt.length },
      fromAlertSent: { p50: percentile(fromSend, 50), p99: percentile(fromSend, 99), max: Math.max(...fromSend) },
      measured: 'state.trafficRestoredAt - steering.abort.signal.receivedAt: from the webhook receiving the alert to the write that puts traffic back on the previous version (Service selector back on the warm stable pods, canary at zero)',
      goal: 'p99 < 2000',
      met: percentile(fromReceipt, 99) < 2000 && fromReceipt.length === SOAKING,
    },
  });
}

if (process.argv.includes('--sim-child')) await runSimChild();
else await main();
