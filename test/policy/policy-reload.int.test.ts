import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startWorld, type World } from '../helpers/world.ts';

// The composition root's wiring, end to end: a running Deckhand (real Redis, simulated cluster, console chat) whose
// policy folder changes under it, as a ConfigMap update changes a pod's mounted policies.
describe('given a running Deckhand, when its policies change on disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deckhand-live-policies-'));
  let world: World;
  let url: string;

  beforeAll(async () => {
    cpSync('policies', dir, { recursive: true, filter: (p) => !p.endsWith('_test.rego') });
    world = await startWorld({ deckhand: { policyDir: dir, http: { port: 0, host: '127.0.0.1' } } });
    url = world.app.http?.url ?? '';
  });
  afterAll(async () => {
    await world.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const Readiness = z.object({ status: z.string(), checks: z.record(z.string(), z.string()) });
  const readyz = async (): Promise<{ status: number; body: z.infer<typeof Readiness> }> => {
    const res = await fetch(`${url}/readyz`);
    return { status: res.status, body: Readiness.parse(await res.json()) };
  };

  async function until<T>(probe: () => Promise<T>, done: (v: T) => boolean, ms = 10_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await probe();
      if (done(v)) return v;
      if (Date.now() > deadline) throw new Error(`not reached in ${ms} ms; last: ${JSON.stringify(v)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('then a new valid version decides without a restart, and a broken one is refused: the last good keeps deciding, /readyz says stale', async () => {
    expect(await readyz()).toMatchObject({ status: 200, body: { status: 'ready', checks: { policy: 'ok' } } });

    // A valid change: deploys are paused.
    const deploy = join(dir, 'deploy.rego');
    writeFileSync(deploy, `${readFileSync(deploy, 'utf8')}\ndeny contains {"rule": "maintenance", "message": "Deploys are paused for maintenance."} if true\n`);
    const paused = await until(() => world.say('@erin /deploy web v2.1.0 to staging'), (out) => out.includes('paused for maintenance'));
    expect(paused).toContain('paused for maintenance');

    // A broken change: refused; the paused version keeps deciding.
    writeFileSync(deploy, `${readFileSync(deploy, 'utf8')}\nbroken := x if { y := 1 }\n`);
    const stale = await until(readyz, (r) => r.body.checks.policy !== 'ok');
    expect(stale.status).toBe(200);
    expect(stale.body.status).toBe('ready');
    expect(stale.body.checks.policy).toMatch(new RegExp(`^stale: sha256:[0-9a-f]{12} refused at .*: ${deploy.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: rego_unsafe_var_error: var x is unsafe; deciding with sha256:`));
    expect(await world.say('@erin /deploy web v2.1.0 to staging')).toContain('paused for maintenance');
  });
});
