import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { inject } from 'vitest';
import { ConsoleAdapter } from '../../src/chat/console/index.ts';
import { loadConfigText, type Config } from '../../src/config/index.ts';
import type { AuditEvent } from '../../src/audit/index.ts';
import type { Deploy, Phase } from '../../src/deploy/index.ts';
import { startDeckhand, type Deckhand, type DeckhandOptions } from '../../src/main.ts';
import { startSimCluster, type SimCluster, type SimClusterOptions } from '@deckhand/sim/kube';
import { startSimGitHub, type SimGitHub, type SimGitHubOptions } from '@deckhand/sim/github';
import { simGitHubOptionsFromConfig } from '../../src/sandbox/sim-github-options-from-config.ts';
import { seedFromConfig } from '../../src/sandbox/index.ts';

/** A small catalog with short deadlines, so failures show within seconds. */
export const WORLD_CONFIG = `
services:
  api:
    team: payments
    repository: acme/api
    image: registry.local/acme/api
    versionPattern: '^v\\d+\\.\\d+\\.\\d+$'
    build: { workflow: build.yml }
    environments:
      staging: { namespace: staging, deployment: api, container: api, replicas: 3, progressDeadlineSeconds: 3 }
      production: { namespace: production, deployment: api, container: api, replicas: 3, progressDeadlineSeconds: 3 }
  web:
    team: storefront
    repository: acme/web
    image: registry.local/acme/web
    versionPattern: '^v\\d+\\.\\d+\\.\\d+$'
    environments:
      staging: { namespace: staging, deployment: web, container: web, replicas: 2, progressDeadlineSeconds: 3 }
people:
  alice: { slack: U0ALICE, discord: '100000000000000001' }
  bob: { slack: U0BOB, discord: '100000000000000002' }
  carol: { slack: U0CAROL }
  dave: { slack: U0DAVE }
  erin: { slack: U0ERIN, discord: '100000000000000005' }
groups:
  payments: [alice, dave]
  storefront: [erin]
  oncall: [carol]
  approvers: [bob, carol, alice, 'slack-usergroup:S0APPROVE']
approvals: { expireAfter: 2s }
github: { builds: { pollInterval: 200ms, maxPollInterval: 1s } }
sandbox:
  readyDelayMs: 60
  buildDelayMs: 300
  services:
    api: { running: v1.4.0, versions: [v1.4.0, v1.5.0, v1.5.1], faulty: [v1.5.1], unbuilt: [v1.5.3, v1.6.0], failingBuilds: [v1.6.0] }
    web: { running: v2.0.0, versions: [v2.0.0, v2.1.0] }
`;

export function worldConfig(text = WORLD_CONFIG, env: Record<string, string> = {}): Config {
  const r = loadConfigText(text, 'world.yaml', { LOG_LEVEL: 'silent', ...env });
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.line}:${p.col} ${p.message}`).join('\n'));
  return r.config;
}

export interface World {
  app: Deckhand;
  sim: SimCluster;
  /** The simulated GitHub, when the world was started with `github: true`. */
  github?: SimGitHub;
  config: Config;
  prefix: string;
  /** Everything the console printed so far. */
  output(): string;
  /** Says a line in the console chat (`@bob /approve 1` speaks as bob) and returns what was printed for it. */
  say(line: string): Promise<string>;
  waitForPhase(id: string, phases: Phase[] | Phase, timeoutMs?: number): Promise<Deploy>;
  /**
   * The audit log once an entry matches: a phase is audited just after it is stored, so a test that saw the phase
   * waits for its entry instead of racing it.
   */
  waitForAudit(match: (entry: AuditEvent) => boolean, timeoutMs?: number): Promise<AuditEvent[]>;
  /** Starts another Deckhand process on the same Redis and cluster (restart tests). */
  restart(options?: Partial<DeckhandOptions>): Promise<Deckhand>;
  stop(): Promise<void>;
}

export interface WorldOptions {
  config?: Config;
  deckhand?: Partial<DeckhandOptions>;
  /** A simulated GitHub: `true` for the config's sandbox repositories, or its options. */
  github?: boolean | SimGitHubOptions;
  /** More for the simulated cluster, given the simulated GitHub (a simulated Argo CD syncing from it …). */
  cluster?: (github: SimGitHub | undefined) => Partial<SimClusterOptions>;
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const config = options.config ?? worldConfig();
  const github = options.github ? await startSimGitHub(options.github === true ? simGitHubOptionsFromConfig(config) : options.github) : undefined;
  const prefix = `t${randomBytes(4).toString('hex')}`;
  const { seed, faulty } = seedFromConfig(config);
  const sim = await startSimCluster({ seed, readyDelayMs: config.sandbox?.readyDelayMs, isFaultyImage: (image) => faulty.has(image.replace(/@.*$/, '')), ...options.cluster?.(github) });
  const input = new PassThrough();
  const out = new PassThrough();
  let printed = '';
  out.on('data', (chunk: Buffer) => { printed += chunk.toString('utf8'); });
  const waiting = new Map<number, () => void>();
  let sent = 0;
  const adapter = new ConsoleAdapter({
    input, output: out, defaultUser: 'alice', live: false,
    onLineDone: (n) => { waiting.get(n)?.(); waiting.delete(n); },
  });
  // The app as production builds it (main.ts), with the shipped policies; the test hands in the simulated cluster
  // and GitHub, the shared test Redis and the console chat it types into.
  const base: DeckhandOptions = {
    config, redisUrl: inject('redisUrl'), kube: { kubeconfigYaml: sim.kubeconfig() }, adapters: [adapter], prefix,
    worker: { concurrency: 4, lockDurationMs: 2000 }, deadlineGraceMs: 2000,
    github: github ? { apiUrl: github.url, registryEndpoint: () => github.url } : undefined,
    ...options.deckhand,
  };
  let app = await startDeckhand(base);
  const all: Deckhand[] = [app];
  return {
    get app() { return app; },
    sim, config, prefix, github,
    output: () => printed,
    async say(line) {
      const before = printed.length;
      const n = ++sent;
      const done = new Promise<void>((r) => waiting.set(n, r));
      input.write(`${line}\n`);
      await done;
      return printed.slice(before);
    },
    async waitForPhase(id, phases, timeoutMs = 20_000) {
      const want = Array.isArray(phases) ? phases : [phases];
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const d = await app.deploys.get(id);
        if (d && want.includes(d.phase)) return d;
        if (Date.now() > deadline) throw new Error(`deploy #${id} is ${d?.phase ?? 'missing'} (step ${d?.step}), wanted ${want.join('|')}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async waitForAudit(match, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const entries = await app.audit.read();
        if (entries.some(match)) return entries;
        if (Date.now() > deadline) throw new Error(`no matching audit entry within ${timeoutMs} ms; last: ${JSON.stringify(entries.at(-1))}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async restart(more = {}) {
      const next = await startDeckhand({ ...base, adapters: [], ...more });
      all.push(next);
      app = next;
      return next;
    },
    async stop() {
      input.end();
      for (const a of all) await a.stop().catch(() => {});
      await sim.close();
      await github?.close();
    },
  };
}
