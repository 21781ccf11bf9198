import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer } from '../../src/http/index.ts';
import { createReloadingBackend, describePolicyStatus, type ReloadingBackend } from '../../src/policy/index.ts';
import type { PolicyInput } from '../../src/policy/index.ts';
import { makeTarGz } from './make-tar-gz.ts';

const RULE = { package: 'deploy', rule: 'decision' };
const input: PolicyInput = {
  action: 'deploy', request: { service: 'api', env: 'production', dry_run: false }, requester: { id: 'ana', name: 'Ana', groups: [] },
  approvals: [], freezes: [], now: '2026-01-01T00:00:00Z',
};

/** A deploy policy whose answer is `allow`: enough to tell two versions apart. */
const policy = (allow: boolean): string => `package deckhand.deploy

decision := {"allow": ${allow}, "deny": [], "approvals": {"required": 0, "have": 0, "eligible": []}}
`;
/** Does not compile: an unsafe variable, at row 3. */
const BROKEN = `package deckhand.deploy

decision := x if { y := 1 }
`;

const cleanups: (() => void)[] = [];
afterEach(() => { for (const c of cleanups.splice(0)) c(); });

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'deckhand-reload-'));
  cleanups.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

function recordingLog(): { lines: { level: string; msg: string; obj: object }[]; info: (o: object, m: string) => void; warn: (o: object, m: string) => void } {
  const lines: { level: string; msg: string; obj: object }[] = [];
  return { lines, info: (obj, msg) => lines.push({ level: 'info', msg, obj }), warn: (obj, msg) => lines.push({ level: 'warn', msg, obj }) };
}

async function start(source: string, options: Parameters<typeof createReloadingBackend>[1] = {}): Promise<ReloadingBackend> {
  const b = await createReloadingBackend(source, options);
  cleanups.push(() => b.close());
  return b;
}

async function eventually(check: () => Promise<boolean> | boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('policies reloaded without a restart', () => {
  it('a changed folder is picked up by its watcher, without calling reload()', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'deploy.rego'), policy(false));
    const backend = await start(dir, { debounceMs: 20, pollMs: 0 });
    expect((await backend.decide(input, RULE)).allow).toBe(false);

    writeFileSync(join(dir, 'deploy.rego'), policy(true));

    await eventually(async () => (await backend.decide(input, RULE)).allow);
    expect(backend.status().stale).toBeUndefined();
  });

  it('a version that does not compile is refused: the last good one keeps deciding, the log and the status say why', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'deploy.rego'), policy(true));
    const log = recordingLog();
    const told: string[] = [];
    const backend = await start(dir, { watch: false, log, now: () => new Date('2026-03-01T12:00:00Z'), onOutcome: (o, s) => told.push(`${o.kind}:${s.stale ? 'stale' : 'fresh'}`) });
    const good = backend.status().revision;

    writeFileSync(join(dir, 'deploy.rego'), BROKEN);
    const outcome = await backend.reload();

    expect(outcome.kind).toBe('refused');
    expect((await backend.decide(input, RULE)).allow).toBe(true);
    const problem = `${join(dir, 'deploy.rego')}:3: rego_unsafe_var_error: var x is unsafe`;
    expect(backend.status()).toMatchObject({ revision: good, stale: { since: '2026-03-01T12:00:00.000Z', problems: [problem] } });
    expect(log.lines.filter((l) => l.level === 'warn').map((l) => l.msg)).toEqual([`new policies refused, the last good ones keep deciding: ${problem}`]);
    expect(describePolicyStatus(backend.status())).toMatch(new RegExp(`^stale: sha256:[0-9a-f]{12} refused at 2026-03-01T12:00:00.000Z: ${problem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}; deciding with ${good} \\(loaded `));

    // Checking again finds the same refused files: nothing new to say, nothing logged twice.
    expect((await backend.reload()).kind).toBe('unchanged');
    expect(log.lines.filter((l) => l.level === 'warn')).toHaveLength(1);

    writeFileSync(join(dir, 'deploy.rego'), policy(false));
    expect((await backend.reload()).kind).toBe('loaded');
    expect(backend.status().stale).toBeUndefined();
    expect((await backend.decide(input, RULE)).allow).toBe(false);
    expect(told).toEqual(['refused:stale', 'loaded:fresh']);
  });

  it('a mounted ConfigMap\'s ..data swap is one change: the new set of files, never half of each', async () => {
    // The kubelet's layout: files are links into ..data, itself a link to a timestamped folder, swapped by rename.
    const dir = tempDir();
    const version = (name: string, files: Record<string, string>): void => {
      mkdirSync(join(dir, name));
      for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, name, f), text);
    };
    // Each version's policy allows only with its own data: a read mixing two versions would deny.
    const matching = (v: number): Record<string, string> => ({
      'deploy.rego': policy(true).replace('"allow": true', `"allow": data.deckhand.config.v == ${v}`),
      'data.json': JSON.stringify({ deckhand: { config: { v } } }),
    });
    version('..2026_03_01_12_00_00.1', matching(1));
    symlinkSync('..2026_03_01_12_00_00.1', join(dir, '..data'));
    symlinkSync('..data/deploy.rego', join(dir, 'deploy.rego'));
    symlinkSync('..data/data.json', join(dir, 'data.json'));
    const backend = await start(dir, { debounceMs: 20, pollMs: 0 });
    const first = backend.status().revision;
    expect((await backend.decide(input, RULE)).allow).toBe(true);

    version('..2026_03_01_12_05_00.2', matching(2));
    symlinkSync('..2026_03_01_12_05_00.2', join(dir, '..data_tmp'));
    renameSync(join(dir, '..data_tmp'), join(dir, '..data'));

    const seen: boolean[] = [];
    await eventually(async () => { seen.push((await backend.decide(input, RULE)).allow); return backend.status().revision !== first; });
    expect(seen.every(Boolean)).toBe(true);
    expect((await backend.decide(input, RULE)).allow).toBe(true);
  });

  it('an OPA bundle replaced by a rename is reloaded, with its revision', async () => {
    const dir = tempDir();
    const path = join(dir, 'policies.tar.gz');
    const write = (revision: string, text: string): void => {
      writeFileSync(`${path}.new`, makeTarGz({ '.manifest': JSON.stringify({ revision, roots: ['deckhand'] }), 'deckhand/deploy.rego': text }));
      renameSync(`${path}.new`, path);
    };
    write('v1', policy(false));
    const backend = await start(path, { debounceMs: 20, pollMs: 0 });
    expect(backend.status().revision).toBe('v1');

    write('v2', policy(true));
    await eventually(() => backend.status().revision === 'v2');
    expect((await backend.decide(input, RULE)).allow).toBe(true);

    write('v3-broken', BROKEN);
    await eventually(() => backend.status().stale !== undefined);
    expect(backend.status()).toMatchObject({ revision: 'v2', stale: { revision: 'v3-broken', problems: [expect.stringMatching(/^policies\.tar\.gz\/deckhand\/deploy\.rego:3: rego_unsafe_var_error: /)] } });
    expect((await backend.decide(input, RULE)).allow).toBe(true);
  });

  it('a bundle that breaks its own roots is refused like one that does not compile', async () => {
    const dir = tempDir();
    const path = join(dir, 'b.tar.gz');
    writeFileSync(path, makeTarGz({ '.manifest': '{"revision": "ok", "roots": ["deckhand"]}', 'deploy.rego': policy(true) }));
    const backend = await start(path, { watch: false });
    writeFileSync(path, makeTarGz({ '.manifest': '{"revision": "bad", "roots": ["deckhand"]}', 'deploy.rego': policy(false), 'x.rego': 'package other\n' }));
    expect(await backend.reload()).toMatchObject({ kind: 'refused', problems: [expect.stringContaining('manifest roots [deckhand] do not permit \'package other\' in module \'/x.rego\'')] });
    expect((await backend.decide(input, RULE)).allow).toBe(true);
  });

  it('the periodic check reloads when no file event arrives', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'deploy.rego'), policy(false));
    const backend = await start(dir, { watch: true, debounceMs: 60_000, pollMs: 50 });
    writeFileSync(join(dir, 'deploy.rego'), policy(true));
    await eventually(async () => (await backend.decide(input, RULE)).allow);
  });

  it('the first load has nothing to fall back on: it throws with the compile error', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'deploy.rego'), BROKEN);
    await expect(createReloadingBackend(dir, { watch: false })).rejects.toThrow(/rego_unsafe_var_error/);
  });
});

describe('/readyz while the policies are stale', () => {
  it('stays 200 (ready: the last good policies decide) and shows the policy check as "stale: …"', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'deploy.rego'), policy(true));
    const backend = await start(dir, { watch: false });
    const readiness = { policy: async () => { const s = backend.status(); return s.stale ? describePolicyStatus(s) : undefined; } };
    const http = createHttpServer({ readiness });
    const { url } = await http.listen(0, '127.0.0.1');
    cleanups.push(() => { void http.close({ timeoutMs: 0 }); });

    expect(await (await fetch(`${url}/readyz`)).json()).toEqual({ status: 'ready', checks: { policy: 'ok' } });

    writeFileSync(join(dir, 'deploy.rego'), BROKEN);
    await backend.reload();
    const res = await fetch(`${url}/readyz`);
    const body: unknown = await res.json();

    expect(res.status).toBe(200);
    expect(body).toEqual({ status: 'ready', checks: { policy: expect.stringMatching(/^stale: sha256:[0-9a-f]{12} refused at .*deploy\.rego:3: rego_unsafe_var_error: var x is unsafe; deciding with sha256:/) } });
  });
});
