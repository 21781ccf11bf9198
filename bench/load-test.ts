/**
 * Load test (issue 7): 1,000 signed Slack slash commands over 10 s against Deckhand serving Slack on its one HTTP
 * server (as `deckhand start` does), with a real redis-server, the simulated cluster and a local Slack Web API
 * server — all on loopback. The commands come from a separate process (as Slack is), spread over 50 services × 2
 * environments so most are accepted deploys. Checks: every command acknowledged within 3 s, every accepted deploy
 * completed exactly once (one record per idempotency key, each in an end phase, the image patched once per
 * deploy), and reports p50/p99 ack and RSS after the run. Bounded: the whole run gives up after ~3 minutes.
 *
 *   npm run load        (or: npx node bench/load-test.ts)   → bench/results/load.json
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Agent } from 'node:http';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { postTimed, signSlackRequest, slashCommandBody } from '../test/helpers/slack-request.ts';

const TOTAL = Number(process.env.LOAD_COMMANDS ?? 1000);
const OVER_MS = Number(process.env.LOAD_OVER_MS ?? 10_000);
const SERVICES = 50;
const ENVS = ['staging', 'qa'] as const;
const VERSIONS = ['v1.1.0', 'v1.2.0', 'v1.3.0', 'v1.4.0', 'v1.5.0', 'v1.6.0', 'v1.7.0', 'v1.8.0', 'v1.9.0', 'v1.10.0', 'v1.11.0', 'v1.12.0'];
const ACK_LIMIT_MS = 3000;
const SETTLE_LIMIT_MS = 120_000;
const SECRET = 'load-signing-secret-5c1d';
const USERS = [['U0ALICE', 'alice'], ['U0DAVE', 'dave'], ['U0ERIN', 'erin']] as const;

const svc = (i: number): string => `svc${String(i).padStart(2, '0')}`;

function configText(): string {
  const services = Array.from({ length: SERVICES }, (_, i) => `  ${svc(i)}:
    team: platform
    repository: acme/${svc(i)}
    image: registry.local/acme/${svc(i)}
    versionPattern: '^v\\d+\\.\\d+\\.\\d+$'
    environments:
${ENVS.map((e) => `      ${e}: { namespace: ${e}, deployment: ${svc(i)}, container: app, replicas: 1, progressDeadlineSeconds: 30 }`).join('\n')}`).join('\n');
  const sims = Array.from({ length: SERVICES }, (_, i) => `    ${svc(i)}: { running: v1.0.0, versions: [v1.0.0, ${VERSIONS.join(', ')}] }`).join('\n');
  return `services:\n${services}\npeople:\n  alice: { slack: U0ALICE }\n  dave: { slack: U0DAVE }\n  erin: { slack: U0ERIN }\ngroups:\n  platform: [alice, dave, erin]\n  approvers: [bob, carol]\nsandbox:\n  readyDelayMs: 30\n  services:\n${sims}\n`;
}

/** Command i: round-robin over the 100 targets, each next visit asking for the next version. */
function commandOf(i: number): { service: string; env: string; text: string } {
  const target = i % (SERVICES * ENVS.length);
  const service = svc(target % SERVICES);
  const env = ENVS[Math.floor(target / SERVICES)] ?? 'staging';
  const version = VERSIONS[Math.floor(i / (SERVICES * ENVS.length)) % VERSIONS.length] ?? 'v1.1.0';
  return { service, env, text: `${service} ${version} to ${env}` };
}

interface ClientResult { ms: number[]; statuses: number[]; sentOverMs: number }

/**
 * p50 and p99 of the server-side ack from the chat-ack histogram the root records: each as the upper bound of the
 * bucket it falls in ("≤ 25 ms"), which is all a histogram can say.
 */
async function serverAckFrom(metrics: { render(): Promise<{ body: string }> }): Promise<{ p50: string; p99: string; count: number }> {
  const text = (await metrics.render()).body;
  const buckets = [...text.matchAll(/^deckhand_chat_ack_seconds_bucket\{[^}]*le="([^"]+)"[^}]*\} (\d+)/gm)].map((m) => ({ le: m[1] ?? '', n: Number(m[2]) }));
  const count = buckets.find((b) => b.le === '+Inf')?.n ?? 0;
  const at = (p: number): string => {
    const b = buckets.find((x) => x.n >= (p / 100) * count);
    return b ? (b.le === '+Inf' ? 'above the largest bucket' : `≤ ${Math.round(Number(b.le) * 1000)} ms`) : 'n/a';
  };
  return { p50: at(50), p99: at(99), count };
}

/** The sender, as its own process: `TOTAL` signed commands at an even pace over `OVER_MS`, each ack timed. */
async function client(url: string, responseBase: string, run: string): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const ms: number[] = new Array<number>(TOTAL).fill(-1);
  const statuses: number[] = new Array<number>(TOTAL).fill(0);
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < TOTAL; i++) {
    const due = started + (i * OVER_MS) / TOTAL;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const [userId, userName] = USERS[i % USERS.length] ?? USERS[0];
    const body = slashCommandBody({ command: '/deploy', text: commandOf(i).text, userId, userName, triggerId: `${run}.${i}`, responseUrl: `${responseBase}${run}-${i}` });
    pending.push(postTimed(agent, url, body, signSlackRequest(SECRET, body.body)).then(
      (r) => { ms[i] = r.ms; statuses[i] = r.status; },
      () => { statuses[i] = -1; },
    ));
  }
  const sentOverMs = performance.now() - started;
  await Promise.all(pending);
  agent.destroy();
  process.stdout.write(JSON.stringify({ ms, statuses, sentOverMs } satisfies ClientResult));
}

async function main(): Promise<void> {
  const { loadConfigText } = await import('../src/config/index.ts');
  const { isEndPhase } = await import('../src/deploy/index.ts');
  const { startDeckhand } = await import('../src/main.ts');
  const { createEmbeddedBackend, readPolicyDir } = await import('../src/policy/index.ts');
  const { seedFromConfig } = await import('../src/sandbox/index.ts');
  const { spawnRedis } = await import('../src/sandbox/redis-server.ts');
  const { startSimCluster } = await import('@deckhand/sim/kube');
  const { closeRedis, connectRedis } = await import('../src/store/index.ts');
  const { createMetrics } = await import('../src/telemetry/index.ts');
  const { startSlackApiServer } = await import('../test/helpers/slack-api-server.ts');
  const { percentile, writeResult } = await import('./results.ts');

  const hardStop = setTimeout(() => { console.error('load test: gave up after 3 minutes'); process.exit(2); }, 180_000);
  hardStop.unref();
  const loadAtStart = Math.round((loadavg()[0] ?? 0) * 100) / 100;
  const redis = await spawnRedis();
  const slack = await startSlackApiServer({ users: USERS.map(([id, name]) => ({ id, name })) });
  // Slack comes from the environment, as for `deckhand start`: the root builds the adapter and mounts it.
  const loaded = loadConfigText(configText(), 'load.yaml', { LOG_LEVEL: 'silent', SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: 'xoxb-load', SLACK_API_URL: slack.apiUrl });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  const config = loaded.config;
  const sim = await startSimCluster({ seed: seedFromConfig(config).seed, readyDelayMs: 30 });
  const prefix = `load${randomBytes(3).toString('hex')}`;

  // Built by the composition root as `deckhand start` builds it: one HTTP server, Slack mounted, its ack timed.
  const metrics = createMetrics();
  const app = await startDeckhand({
    config, redisUrl: redis.url, kube: { kubeconfigYaml: sim.kubeconfig() }, metrics, http: { port: 0, host: '127.0.0.1' },
    policy: createEmbeddedBackend(await readPolicyDir('policies')), prefix,
  });
  if (!app.http) throw new Error('Deckhand started without its HTTP server');
  const url = `${app.http.url}/slack/events`;
  const run = `r${randomBytes(2).toString('hex')}`;

  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const started = performance.now();
  const self = fileURLToPath(import.meta.url);
  const sent = await new Promise<ClientResult>((resolve, reject) => {
    const child = spawn(process.execPath, [self, '--client', url, slack.responseUrl(''), run], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString('utf8'); });
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as ClientResult) : reject(new Error(`client exited ${code}`))));
  });
  const sentMs = Math.round(performance.now() - started);
  console.error(`sent ${TOTAL} commands in ${Math.round(sent.sentOverMs)} ms; waiting for every deploy to end`);

  // Every deploy created, per target (the store's per-target index holds them all).
  type Deploy = Awaited<ReturnType<typeof app.deploys.get>> & object;
  const targets = Array.from({ length: SERVICES }, (_, i) => ENVS.map((env) => ({ service: svc(i), env }))).flat();
  const allDeploys = async (): Promise<Deploy[]> => (await Promise.all(targets.map((t) => app.deploys.list({ ...t, limit: 1000 })))).flat();
  // First every command answered (its reply posted to the response_url), then every deploy in an end phase.
  const answered = (): number => slack.callsTo('response_url').filter((c) => String(c.args.url).startsWith(`/respond/${run}-`)).length;
  while (answered() < TOTAL && performance.now() - started < SETTLE_LIMIT_MS) await new Promise((r) => setTimeout(r, 250));
  const answeredMs = Math.round(performance.now() - started);
  let deploys = await allDeploys();
  while (deploys.some((d) => !isEndPhase(d.phase)) && performance.now() - started < SETTLE_LIMIT_MS) {
    await new Promise((r) => setTimeout(r, 500));
    deploys = await allDeploys();
  }
  const settledMs = Math.round(performance.now() - started);
  lag.disable();
  await app.cards.flush();

  // One record per idempotency key: every key names a distinct deploy, and every deploy has a key.
  const raw = connectRedis(redis.url);
  const idemKeys: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await raw.scan(cursor, 'MATCH', `${prefix}:idem:*`, 'COUNT', 1000);
    cursor = next;
    idemKeys.push(...keys);
  } while (cursor !== '0');
  const idemIds = idemKeys.length ? (await raw.mget(...idemKeys)).map((v) => String(v)) : [];
  await closeRedis(raw);

  // The image patched once per deploy that rolled out: PATCHes of each Deployment against its succeeded deploys.
  const patches = new Map<string, number>();
  for (const r of sim.requests) {
    const m = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/deployments\/([^/]+)$/.exec(r.path);
    // Image patches only (strategic merge); an undo is a JSON patch and a rollback, not a second apply.
    if (r.method === 'PATCH' && m && r.contentType?.includes('strategic-merge-patch')) patches.set(`${m[2]}/${m[1]}`, (patches.get(`${m[2]}/${m[1]}`) ?? 0) + 1);
  }
  const byPhase: Record<string, number> = {};
  for (const d of deploys) byPhase[d.phase] = (byPhase[d.phase] ?? 0) + 1;
  const patchMismatches = targets.filter((t) => {
    const rolled = deploys.filter((d) => d.service === t.service && d.env === t.env && (d.phase === 'succeeded' || d.phase === 'failed' || d.phase === 'rolled_back')).length;
    return (patches.get(`${t.service}/${t.env}`) ?? 0) !== rolled;
  }).map((t) => `${t.service}/${t.env}`);
  const acked = sent.ms.filter((ms, i) => sent.statuses[i] === 200 && ms >= 0 && ms <= ACK_LIMIT_MS).length;
  // A refused request (target busy, policy) is recorded too, ending `denied`; the rest were accepted deploys.
  const accepted = deploys.filter((d) => d.phase !== 'denied').length;
  const rss = process.memoryUsage();
  const answeredCount = answered();
  const replies = new Map<string, number>();
  for (const c of slack.callsTo('response_url')) {
    const text = String(c.args.text ?? JSON.stringify(c.args.blocks ?? '')).replace(/#\d+|svc\d+|v1\.\d+\.0|staging|qa/g, '…').slice(0, 140);
    replies.set(text, (replies.get(text) ?? 0) + 1);
  }

  const serverAck = await serverAckFrom(metrics);
  await app.stop();
  await slack.close();
  await sim.close();
  await redis.stop();

  const checks = {
    everyAckWithin3s: acked === TOTAL,
    everyCommandAnswered: answeredCount === TOTAL,
    everyDeployEnded: deploys.every((d) => isEndPhase(d.phase)),
    oneRecordPerIdempotencyKey: new Set(idemIds).size === idemIds.length && idemIds.length === deploys.length && deploys.length === TOTAL,
    imagePatchedOncePerDeploy: patchMismatches.length === 0,
  };
  await writeResult('load', {
    what: `${TOTAL} signed /deploy slash commands over ${OVER_MS / 1000} s from another process, ${SERVICES} services × ${ENVS.length} envs, Deckhand serving Slack on its HTTP server (as deckhand start), real redis-server, simulated cluster (1 replica, 30 ms readiness), loopback`,
    command: 'npm run load',
    loadAverage1m: { start: loadAtStart, end: Math.round((loadavg()[0] ?? 0) * 100) / 100 },
    sent: { commands: TOTAL, sentOverMs: Math.round(sent.sentOverMs), clientDoneMs: sentMs },
    acks: {
      within3s: acked, answered: answeredCount, non200: sent.statuses.filter((s) => s !== 200).length,
      /** As the sender sees it, request written to 200 read. */
      ackMs: { p50: percentile(sent.ms.filter((m) => m >= 0), 50), p99: percentile(sent.ms.filter((m) => m >= 0), 99), max: percentile(sent.ms.filter((m) => m >= 0), 100) },
      /** As Deckhand's HTTP server sees it (its deckhand_chat_ack_seconds histogram): the bucket each percentile falls in. */
      serverAckMs: serverAck,
    },
    deploys: {
      records: deploys.length, accepted, refused: deploys.length - accepted, byPhase,
      idempotencyKeys: idemIds.length, patchMismatches, allAnsweredMs: answeredMs, allEndedMs: settledMs,
    },
    /** The replies posted to the response_urls, by kind (ids, services, versions and envs elided). */
    replies: Object.fromEntries([...replies].sort((a, b) => b[1] - a[1]).slice(0, 6)),
    eventLoopDelayMs: { p99: Math.round(lag.percentile(99) / 1e5) / 10, max: Math.round(lag.max / 1e5) / 10 },
    /** This process holds Deckhand and also the simulated cluster and Slack server; Redis is a separate process. */
    memoryAfterRunMb: { rss: Math.round(rss.rss / 2 ** 20), heapUsed: Math.round(rss.heapUsed / 2 ** 20) },
    checks,
  });
  clearTimeout(hardStop);
  if (!Object.values(checks).every(Boolean)) process.exitCode = 1;
}

if (process.argv[2] === '--client') {
  await client(process.argv[3] ?? '', process.argv[4] ?? '', process.argv[5] ?? 'r');
} else {
  await main();
}
