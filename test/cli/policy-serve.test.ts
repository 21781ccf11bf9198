import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTarGz } from '../policy/make-tar-gz.ts';

// The real bin, through the Node the project installs, serving policy files that change under it.
const NODE = join(process.cwd(), 'node_modules', '.bin', 'node');
const BIN = join(process.cwd(), 'bin', 'deckhand.js');

/** A deploy policy whose answer is `allow`: enough to tell two versions apart. */
const policy = (allow: boolean): string => `package deckhand.deploy

decision := {"allow": ${allow}, "deny": [], "approvals": {"required": 0, "have": 0, "eligible": []}}
`;
/** Does not compile: an unsafe variable, at row 3. */
const BROKEN = `package deckhand.deploy

decision := x if { y := 1 }
`;

interface Serving {
  readonly child: ChildProcess;
  readonly url: string;
  /** Everything printed so far. */
  stdout(): string;
  stderr(): string;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'deckhand-serve-'));
  cleanups.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

/** Written whole, then renamed over the old one, as editors and `kubectl cp` do: the server never reads half a file. */
function replaceFile(path: string, content: string | Buffer): void {
  writeFileSync(`${path}.new`, content);
  renameSync(`${path}.new`, path);
}

function runServe(source: string): { child: ChildProcess; stdout: () => string; stderr: () => string } {
  const child = spawn(NODE, [BIN, 'policy', 'serve', '--port', '0', '--dir', source], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => { out += c.toString('utf8'); });
  child.stderr!.on('data', (c: Buffer) => { err += c.toString('utf8'); });
  cleanups.push(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  });
  return { child, stdout: () => out, stderr: () => err };
}

/** Starts `deckhand policy serve --port 0` and waits for the banner that names its port. */
async function serve(source: string): Promise<Serving> {
  const run = runServe(source);
  await expect.poll(() => /http:\/\/127\.0\.0\.1:\d+\/v1\/data/.test(run.stdout()) || run.child.exitCode !== null, { timeout: 15_000 }).toBe(true);
  const port = /http:\/\/127\.0\.0\.1:(\d+)\/v1\/data/.exec(run.stdout())?.[1];
  if (!port) throw new Error(`policy serve did not start: ${run.stderr()}`);
  return { ...run, url: `http://127.0.0.1:${port}` };
}

/** `allow` of the deploy decision, asked over OPA's Data API as Deckhand's POLICY_URL client asks it. */
async function allowed(url: string): Promise<unknown> {
  const res = await fetch(`${url}/v1/data/deckhand/deploy/decision`, { method: 'POST', body: JSON.stringify({ input: { action: 'deploy' } }) });
  const body = (await res.json()) as { result?: { allow?: unknown } };
  return body.result?.allow;
}

async function health(url: string, query = ''): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${url}/health${query}`);
  return { status: res.status, body: await res.json() };
}

/** The server's own lines on stderr (Node may add warnings of its own). */
function refusals(s: Serving): string[] {
  return s.stderr().split('\n').filter((l) => l.startsWith('deckhand policy serve:'));
}

describe('deckhand policy serve reloads the policies it serves', () => {
  it('a folder: a valid edit is served from the next request; a broken one is refused on stderr while the last good one answers; a fix is served again', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const file = join(dir, 'deploy.rego');
    writeFileSync(file, policy(false));
    const s = await serve(dir);
    expect(await allowed(s.url)).toBe(false);

    replaceFile(file, policy(true));
    await expect.poll(() => allowed(s.url), { timeout: 10_000 }).toBe(true);
    expect(s.stdout()).toMatch(/^policies reloaded \(sha256:[0-9a-f]{12}\)\.$/m);

    replaceFile(file, BROKEN);
    await expect.poll(() => refusals(s).length, { timeout: 10_000 }).toBe(1);
    expect(refusals(s)).toEqual([`deckhand policy serve: new policies refused, the last good ones keep deciding: ${file}:3: rego_unsafe_var_error: var x is unsafe`]);
    expect(await allowed(s.url)).toBe(true);
    // As OPA's: healthy once the policies were first activated; a later refused version does not change that.
    expect(await health(s.url)).toEqual({ status: 200, body: {} });
    expect(await health(s.url, '?bundles')).toEqual({ status: 200, body: {} });

    replaceFile(file, policy(false));
    await expect.poll(() => allowed(s.url), { timeout: 10_000 }).toBe(false);
    expect(refusals(s)).toHaveLength(1);

    const exited = once(s.child, 'exit');
    s.child.kill('SIGTERM');
    expect((await exited)[0]).toBe(0);
  });

  it('an OPA bundle replaced by a rename: each good revision is served, a broken one is refused with its file and code', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const path = join(dir, 'policies.tar.gz');
    const bundle = (revision: string, rego: string): Buffer => makeTarGz({ '.manifest': JSON.stringify({ revision, roots: ['deckhand'] }), 'deckhand/deploy.rego': rego });
    replaceFile(path, bundle('v1', policy(false)));
    const s = await serve(path);
    expect(await allowed(s.url)).toBe(false);

    replaceFile(path, bundle('v2', policy(true)));
    await expect.poll(() => allowed(s.url), { timeout: 10_000 }).toBe(true);
    expect(s.stdout()).toContain('policies reloaded (v2).');

    replaceFile(path, bundle('v3-broken', BROKEN));
    await expect.poll(() => refusals(s).length, { timeout: 10_000 }).toBe(1);
    expect(refusals(s)[0]).toMatch(/: policies\.tar\.gz\/deckhand\/deploy\.rego:3: rego_unsafe_var_error: var x is unsafe$/);
    expect(await allowed(s.url)).toBe(true);
    expect(await health(s.url, '?bundles')).toEqual({ status: 200, body: {} });

    replaceFile(path, bundle('v4', policy(false)));
    await expect.poll(() => allowed(s.url), { timeout: 10_000 }).toBe(false);
    expect(s.stdout()).toContain('policies reloaded (v4).');
  });

  it('policies that do not compile at start have no last good version: exit 1 with the error, nothing served', { timeout: 30_000 }, async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'deploy.rego'), BROKEN);
    const run = runServe(dir);
    const [code] = await once(run.child, 'exit');
    expect(code).toBe(1);
    expect(run.stderr()).toContain(`${join(dir, 'deploy.rego')}:3: rego_unsafe_var_error: var x is unsafe`);
    expect(run.stdout()).not.toContain('Serving');
  });
});
