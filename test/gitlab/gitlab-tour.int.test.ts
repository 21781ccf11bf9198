import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';

/**
 * The sandbox as a person runs it (`npx deckhand start --script examples/gitlab-tour.txt`): the example deckhand.yaml
 * with its simulated GitLab, seeded from the sandbox section, every part started and stopped by the CLI itself.
 */
describe('the GitLab tour in the sandbox', () => {
  it('builds billing v3.1.1 through a GitLab pipeline with release notes from merge requests, refuses a typo, and fails v3.2.0 before rolling anything out', async () => {
    const child = spawn(process.execPath, ['bin/deckhand.js', 'start', '--script', 'examples/gitlab-tour.txt'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString('utf8'); });
    child.stderr.on('data', (c: Buffer) => { out += c.toString('utf8'); });
    const [code] = await once(child, 'exit') as [number];

    expect(out).toContain('🚫 v3.1.9 is not a tag of acme/billing. Did you mean `v3.1.1`');
    expect(out).toMatch(/Build of v3\.1\.1 succeeded · http:\/\/127\.0\.0\.1:\d+\/acme\/billing\/-\/pipelines\/\d+/);
    expect(out).toContain('• duplicate invoice numbers under load (!7)');
    expect(out).toContain('billing v3.1.1 is live in staging');
    expect(out).toMatch(/The build of v3\.2\.0 failed \(failure\): http:\/\/127\.0\.0\.1:\d+\/acme\/billing\/-\/pipelines\/\d+\. Nothing was rolled out\./);
    expect(out).toContain('cluster revisions: 1: v3.1.0, 2: v3.1.1');
    // A refused request and a failed deploy: the script says so with its exit code.
    expect(code).toBe(1);
  }, 90_000);
});
