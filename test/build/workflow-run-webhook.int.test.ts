import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createImageChecker, createReleaseSteps, isFollowingRun, recordWorkflowRun, type BuildState } from '../../src/build/index.ts';
import { createGitHubClient, createWorkflowRunWebhookVerifier, type WebhookVerdict } from '../../src/github/index.ts';
import { startSimGitHub, type SimGitHub } from '../../src/sim/github/index.ts';
import { deployOf, driveSteps, memoryRecords } from './drive-steps.ts';

const TARGET = { repository: 'acme/api', image: 'registry.local/acme/api', workflow: 'build.yml' };

/** Deckhand's webhook ingress in miniature: verify, record on the deploy following the run, re-enqueue it. */
async function startIngress(secret: string, onRun: (v: WebhookVerdict & { kind: 'workflow_run' }) => Promise<void>): Promise<{ url: string; verdicts: WebhookVerdict[]; server: Server }> {
  const verify = createWorkflowRunWebhookVerifier(secret);
  const verdicts: WebhookVerdict[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const verdict = await verify(req.headers, Buffer.concat(chunks).toString('utf8'));
        verdicts.push(verdict);
        if (verdict.kind === 'workflow_run') await onRun(verdict);
        res.writeHead(verdict.kind === 'rejected' ? 401 : 202).end();
      })();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/github`, verdicts, server };
}

describe('build completion by the workflow_run webhook', () => {
  let sim: SimGitHub;
  let server: Server | undefined;
  afterEach(async () => {
    await sim.close();
    if (server) await new Promise((r) => server?.close(r));
    server = undefined;
  });

  async function run(simSecret: string, deckhandSecret: string, version: string, fallbackMs: number) {
    const records = memoryRecords([deployOf('1', version)]);
    let wake = (): void => {};
    const ingress = await startIngress(deckhandSecret, async ({ update }) => {
      for (const d of records.all.values()) {
        if (!isFollowingRun(d, update.runId)) continue;
        const before = d.updatedAt;
        const after = await records.update(d.id, (cur) => recordWorkflowRun(cur, update));
        if (after.updatedAt !== before) wake();
      }
    });
    server = ingress.server;
    sim = await startSimGitHub({ buildDelayMs: 400, webhook: { url: ingress.url, secret: simSecret } });
    const steps = createReleaseSteps({
      github: createGitHubClient({ baseUrl: sim.url }), images: createImageChecker({ endpointFor: () => sim.url }),
      targetOf: () => TARGET, webhook: true, polling: { intervalMs: 100, webhookFallbackMs: fallbackMs },
    });
    const driving = driveSteps(records, '1', steps, { timeoutMs: 30_000 });
    wake = driving.wake;
    const startedAt = Date.now();
    const result = await driving.done;
    return { ...result, verdicts: ingress.verdicts, ms: Date.now() - startedAt };
  }

  it('given a signed completion, then the deploy goes on at once without waiting for the next poll', async () => {
    const { deploy, verdicts, startRan, ms } = await run('s3cret', 's3cret', 'v1.5.3', 10_000);

    expect(deploy.phase).toBe('succeeded');
    expect(startRan).toBe(true);
    expect(ms).toBeLessThan(5_000);
    expect((deploy.state.build as BuildState).webhook).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(verdicts.every((v) => v.kind === 'workflow_run')).toBe(true);
    const runId = (deploy.state.build as BuildState).runId;
    expect(sim.requests.filter((r) => r.path === `/repos/acme/api/actions/runs/${runId}`)).toHaveLength(0);
  });

  it('given a failed build reported by webhook, then the deploy fails with the run link', async () => {
    const { deploy, startRan } = await run('s3cret', 's3cret', 'v1.6.0', 10_000);

    expect(deploy.phase).toBe('failed');
    expect(startRan).toBe(false);
    expect(deploy.summary).toContain('/actions/runs/');
  });

  it('given a badly signed delivery, then it is ignored and the build is still followed by polling', async () => {
    const { deploy, verdicts } = await run('not-the-secret', 's3cret', 'v1.5.3', 300);

    expect(verdicts.length).toBeGreaterThan(0);
    expect(verdicts.every((v) => v.kind === 'rejected')).toBe(true);
    expect(sim.deliveries.every((d) => d.status === 401)).toBe(true);
    expect((deploy.state.build as BuildState).webhook).toBeUndefined();
    expect(deploy.phase).toBe('succeeded');
  });
});
