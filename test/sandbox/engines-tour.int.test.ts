import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';

/**
 * The delivery engines as a person runs them (`npx deckhand start --script examples/engines-tour.txt`) with the
 * example deckhand.yaml: catalog through the simulated Argo CD (a commit to acme/deploy-config), search through the
 * simulated Argo Rollouts controller with an Istio VirtualService and an AnalysisTemplate.
 */
describe('the engines tour in the sandbox', () => {
  it('deploys through GitOps to Synced and Healthy, rolls back by a commit, promotes a Rollout canary by command, and sees Argo abort one on its analysis', async () => {
    const child = spawn(process.execPath, ['bin/deckhand.js', 'start', '--script', 'examples/engines-tour.txt'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString('utf8'); });
    child.stderr.on('data', (c: Buffer) => { out += c.toString('utf8'); });
    const [code] = await once(child, 'exit') as [number];

    // GitOps: the commit, Argo CD's report with its links, success, then a rollback that is a commit too.
    expect(out).toMatch(/Commit [0-9a-f]{7} on main: apps\/catalog\/production\/kustomization\.yaml now sets v1\.1\.0\. http:\/\/127\.0\.0\.1:\d+\/_html\/acme\/deploy-config\/commit\/[0-9a-f]{40}/);
    expect(out).toMatch(/Argo CD catalog-production: Synced at [0-9a-f]{7} · Healthy · sync Succeeded at [0-9a-f]{7}: .* http:\/\/127\.0\.0\.1:\d+\/applications\/argocd\/catalog-production/);
    expect(out).toContain('[#1 catalog v1.1.0 (GitOps, Argo CD) → production] ✅ Succeeded');
    expect(out).toContain('• catalog production: v1.1.0 — 2/2 available');
    expect(out).toMatch(/Commit [0-9a-f]{7} on main: apps\/catalog\/production\/kustomization\.yaml now sets v1\.0\.0\./);
    expect(out).toContain('catalog is back on v1.0.0 in production: Argo CD application catalog-production is Synced and Healthy');
    // Argo Rollouts: weights and analysis on the card, held at the pause until promoted, then Healthy.
    expect(out).toContain('• search production: v4.0.0 — Rollout search Healthy, 4/4 available');
    expect(out).toMatch(/Rollout search: Paused · step 3\/5 \(pause \(until promoted\)\) · canary 20% \/ stable 80%.*error-rate Successful/);
    expect(out).toContain('you> .click Promote 3');
    expect(out).toContain('Deploy #3 (search in production) is promoted to its next step (Argo Rollouts promote).');
    expect(out).toContain('search v4.1.0 is stable in production: Rollout search is Healthy, 4/4 available.');
    expect(out).toContain('• search production: v4.1.0 — Rollout search Healthy, 4/4 available');
    // A version with 50% 5xx: Argo's AnalysisRun fails it and the Rollout is aborted, traffic back on stable.
    expect(out).toMatch(/\[#4 search v4\.2\.0 \(Argo Rollouts\) → production\] ❌ Failed\n {4}Argo Rollouts aborted the rollout of v4\.2\.0; all traffic is back on v4\.1\.0\. Argo: RolloutAborted: .*Metric "error-rate" assessed Failed/);
    // The failed deploy makes the script's exit code say so.
    expect(code).toBe(1);
  }, 120_000);
});
