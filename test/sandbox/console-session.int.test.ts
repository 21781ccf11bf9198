import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { screen } from '../helpers/terminal-screen.ts';

interface Proc { pid: number; ppid: number; comm: string; args: string }

/** Every process below `pid`, with its command name and arguments (from ps). */
function descendants(pid: number): Proc[] {
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,comm=,args='], { encoding: 'utf8' }).trim().split('\n')
    .map((l) => l.trim().split(/\s+/)).map(([p, pp, c, ...args]) => ({ pid: Number(p), ppid: Number(pp), comm: c ?? '', args: args.join(' ') }));
  const out: Proc[] = [];
  const walk = (parent: number): void => {
    for (const r of rows.filter((x) => x.ppid === parent)) {
      out.push(r);
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

const KUBECONFIG = join(process.cwd(), '.deckhand', 'kubeconfig');

/** The sandbox's kubeconfig, if it is still the one that names `clusterUrl` (another sandbox may have written its own since). */
async function kubeconfigOf(clusterUrl: string): Promise<string | undefined> {
  const text = await readFile(KUBECONFIG, 'utf8').catch(() => undefined);
  return text?.includes(clusterUrl) ? text : undefined;
}

interface Session {
  child: ChildProcess;
  /** Everything the terminal received, escape sequences included. */
  raw(): string;
  /** The same as plain text. */
  text(): string;
  type(keys: string): void;
  waitFor(check: (text: string) => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** What the banner named: the simulated cluster's URL, the suggested deploy, the audit export command's Redis. */
  banner(): { clusterUrl: string; deploy: string; redisUrl: string };
}

/**
 * `deckhand start` as a person starts it: on a pseudo-terminal (util-linux `script` allocates one), nothing
 * configured, so it is the sandbox with its own redis-server and simulated cluster.
 */
function startSession(): Session {
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color', LOG_LEVEL: 'info' };
  for (const k of ['REDIS_URL', 'KUBECONFIG', 'KUBERNETES_SERVICE_HOST', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'DISCORD_BOT_TOKEN', 'DISCORD_APPLICATION_ID', 'DECKHAND_CONFIG', 'GITHUB_TOKEN', 'PROMETHEUS_URL']) delete env[k];
  const command = `'${process.execPath}' bin/deckhand.js start`;
  const child = spawn('script', ['-q', '-f', '-e', '-c', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let raw = '';
  child.stdout?.on('data', (c: Buffer) => { raw += c.toString('utf8'); });
  child.stderr?.on('data', (c: Buffer) => { raw += c.toString('utf8'); });
  const text = (): string => stripVTControlCharacters(raw);
  return {
    child,
    raw: () => raw,
    text,
    type: (keys) => { child.stdin?.write(keys); },
    async waitFor(check, what, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!check(text())) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no ${what} on the terminal:\n${text()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    banner() {
      const t = text();
      const clusterUrl = /cluster: simulated at (http:\/\/127\.0\.0\.1:\d+)/.exec(t)?.[1];
      const deploy = /Try: (\/deploy [^·\r\n]+?) ·/.exec(t)?.[1];
      const redisUrl = /REDIS_URL=(redis:\/\/127\.0\.0\.1:\d+) npx deckhand audit export/.exec(t)?.[1];
      if (!clusterUrl || !deploy || !redisUrl) throw new Error(`the banner lacks the cluster, a deploy to try or the audit command:\n${t}`);
      return { clusterUrl, deploy, redisUrl };
    },
  };
}

/** `deckhand audit export` run as the banner says, while the sandbox runs. */
function auditExport(redisUrl: string): string {
  return execFileSync(process.execPath, ['bin/deckhand.js', 'audit', 'export'], { env: { ...process.env, REDIS_URL: redisUrl, DECKHAND_CONFIG: '' }, encoding: 'utf8', timeout: 20_000 });
}

describe('the sandbox on a terminal', () => {
  let session: Session | undefined;
  afterEach(() => {
    if (session && session.child.exitCode === null) session.child.kill('SIGKILL');
    session = undefined;
  });

  it('shows a prompt, keeps typing apart from progress, and on the first Ctrl-C quits within 2 s, stopping redis-server and removing its kubeconfig', async () => {
    const s = startSession();
    session = s;

    // Given the sandbox has started: a banner, then a prompt
    await s.waitFor((t) => /Ctrl-C quits\.[\s\S]*you> $/.test(t), 'prompt after the banner');
    const banner = s.banner();
    expect(s.text()).not.toMatch(/\/approve \d/);
    const below = descendants(s.child.pid ?? 0);
    const redis = below.filter((p) => p.comm.startsWith('redis-server'));
    expect(redis).toHaveLength(1);
    // Its kubeconfig is written, and a watcher waits to remove it (this copy only: it names this sandbox's cluster).
    expect(below.some((p) => p.args.includes('deckhand-cleanup') && p.args.includes(KUBECONFIG) && p.args.includes(banner.clusterUrl))).toBe(true);

    // When the suggested deploy is typed, it starts without waiting for anyone
    s.type(`${banner.deploy}\r`);
    await s.waitFor((t) => /Deploy #1: .* is queued\./.test(t), 'reply to the suggested deploy');
    // And the audit log answers the banner's command
    expect(auditExport(banner.redisUrl)).toContain(banner.deploy);

    // When a command is half typed while the rollout reports progress
    await s.waitFor((t) => t.includes('Rolling out'), 'rollout');
    const typedAt = s.raw().length;
    s.type('/sta');
    // (the card and the prompt redrawn below it are separate writes: wait for both)
    await s.waitFor(() => /Rolling out|Succeeded/.test(stripVTControlCharacters(s.raw().slice(typedAt)).replaceAll('/sta', '')) && screen(s.raw()).at(-1) === 'you> /sta', 'progress after typing, then the prompt');
    // Then what was typed stays on the prompt, never on a progress line
    const rows = screen(s.raw());
    expect(rows.filter((r) => /\/sta(?!tus)/.test(r))).toEqual(['you> /sta']);
    expect(rows.at(-1)).toBe('you> /sta');

    // When Ctrl-C is pressed once
    const pressed = Date.now();
    s.type('\x03');
    await once(s.child, 'exit');

    // Then it has quit within 2 s, with everything it started stopped and its kubeconfig gone
    expect(Date.now() - pressed).toBeLessThan(2000);
    expect(redis.filter((p) => isAlive(p.pid))).toEqual([]);
    expect(await kubeconfigOf(banner.clusterUrl)).toBeUndefined();
  }, 90_000);

  it('killed with SIGKILL, still leaves no redis-server and no kubeconfig behind', async () => {
    const s = startSession();
    session = s;
    await s.waitFor((t) => /you> $/.test(t), 'prompt');
    const { clusterUrl } = s.banner();
    const below = descendants(s.child.pid ?? 0);
    // `script` runs Deckhand as its only child (Node names its process after its main thread, so not by name).
    const deckhand = below.find((p) => p.ppid === s.child.pid);
    const redis = below.filter((p) => p.comm.startsWith('redis-server'));
    expect(deckhand).toBeDefined();
    expect(redis).toHaveLength(1);

    process.kill(deckhand?.pid ?? 0, 'SIGKILL');

    const deadline = Date.now() + 5000;
    while ((redis.some((p) => isAlive(p.pid)) || await kubeconfigOf(clusterUrl)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(redis.filter((p) => isAlive(p.pid))).toEqual([]);
    expect(await kubeconfigOf(clusterUrl)).toBeUndefined();
  }, 60_000);
});
