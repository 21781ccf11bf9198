import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';

/**
 * The sandbox as a person runs it (`npx deckhand start --script examples/artifacts-tour.txt`): the example
 * deckhand.yaml, whose simulated registry signs api's images with the test key in examples/keys/.
 */
describe('the signed-images tour in the sandbox', () => {
  it('deploys a signed image with its digest and signer on the card, and refuses an unsigned and a wrongly signed one in production, a downgrade without a reason, a version staging never ran and a release candidate', async () => {
    const child = spawn(process.execPath, ['bin/deckhand.js', 'start', '--script', 'examples/artifacts-tour.txt'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString('utf8'); });
    child.stderr.on('data', (c: Buffer) => { out += c.toString('utf8'); });
    const [code] = await once(child, 'exit') as [number];

    expect(out).toMatch(/\[#2 api v1\.5\.0 \(rolling\) → production\] ⏳ Awaiting approval\n {4}Image sha256:[0-9a-f]{12} · signed by key SHA256:[A-Za-z0-9+/]{43}\n/);
    expect(out).toContain('api v1.5.0 is live in production');
    expect(out).toMatch(/Image sha256:[0-9a-f]{12} · no valid signature/);
    expect(out).toMatch(/• api v1\.5\.2 cannot go to production: its image sha256:[0-9a-f]{12} is not validly signed: no cosign signature or Sigstore bundle is attached to it/);
    expect(out).toMatch(/• api v1\.5\.1 cannot go to production: its image sha256:[0-9a-f]{12} is not validly signed: its signature does not verify with the configured key SHA256:/);
    expect(out).toMatch(/cluster revisions: 1: v1\.4\.0, 2: v1\.5\.0/);
    // Version order and environment order, each refusal naming what would be allowed.
    expect(out).toContain('• v1.5.2 → v1.5.0 is a downgrade of api in staging. To go back on purpose, say why with --reason "…"');
    expect(out).toContain('or roll back: /rollback api staging to v1.5.0');
    expect(out).toContain('• web v2.1.0 has not succeeded in staging yet, and production takes only what ran there first. Deploy it there first: /deploy web v2.1.0 to staging');
    expect(out).toContain('• v2.2.0-rc.1 is a pre-release, and pre-releases are kept out of production.');
    // Refused requests: the script says so with its exit code.
    expect(code).toBe(1);
  }, 90_000);
});
