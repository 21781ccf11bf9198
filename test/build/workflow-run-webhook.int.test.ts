import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createImageChecker, createReleaseSteps, receiveWorkflowRun, type BuildState, type WorkflowRunReceipt } from '../../src/build/index.ts';
import { createGitHubClient, createWorkflowRunWebhookVerifier } from '../../src/github/index.ts';
import { startSimGitHub, type SimGitHub } from '@deckhand/sim/github';
import { deployOf, driveSteps, memoryRecords } from './drive-steps.ts';

const TARGET = { repository: 'acme/api', image: 'registry.local/acme/api', workflow: 'build.yml' };

/** Deckhand's webhook ingress in miniature: the raw body to receiveWorkflowRun, its status back to GitHub. */
async function startIngress(secret: string, records: ReturnType<typeof memoryRecords>, wake: () => void): Promise<{ url: string; receipts: (WorkflowRunReceipt & { at: number })[]; server: Server }> {
  const verify = createWorkflowRunWebhookVerifier(secret);
  const receipts: (WorkflowRunReceipt & { at: number })[] = [];
  const deps = {
    verify, records,
    inFlightFor: async (repository: string) => (repository === 'acme/api' ? [...records.all.keys()] : []),
    wake: async () => wake(),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void receiveWorkflowRun(deps, req.headers, Buffer.concat(chunks).toString('utf8')).then((receipt) => {
        receipts.push({ ...receipt, at: Date.now() });
        res.writeHead(receipt.status).end();
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/github`, receipts, server };
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
    const ingress = await startIngress(deckhandSecret, records, () => wake());
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
    return { ...result, receipts: ingress.receipts, ms: Date.now() - startedAt };
  }

  it('given a signed completion, then the deploy goes on at once, having read the outcome from the API', async () => {
    const { deploy, receipts, startRan, ms } = await run('s3cret', 's3cret', 'v1.5.3', 10_000);

    expect(deploy.phase).toBe('succeeded');
    expect(startRan).toBe(true);
    expect(ms).toBeLessThan(5_000);
    expect(receipts.every((r) => r.status === 202)).toBe(true);
    expect(receipts.flatMap((r) => r.woken)).toContain('1');
    // The webhook only woke the step: the run's conclusion was read from GitHub after the wake-up was received.
    const runId = (deploy.state.build as BuildState).runId;
    const wokenAt = Math.min(...receipts.filter((r) => r.woken.includes('1')).map((r) => r.at));
    const readsAfter = sim.requests.filter((r) => r.path === `/repos/acme/api/actions/runs/${runId}` && r.status === 200 && r.at >= wokenAt);
    expect(readsAfter.length).toBeGreaterThan(0);
    expect((deploy.state.build as BuildState).conclusion).toBe('success');
  });

  it('given a failed build reported by webhook, then the deploy fails with the run link', async () => {
    const { deploy, startRan } = await run('s3cret', 's3cret', 'v1.6.0', 10_000);

    expect(deploy.phase).toBe('failed');
    expect(startRan).toBe(false);
    expect(deploy.summary).toContain('/actions/runs/');
  });

  it('given a badly signed delivery, then it is ignored and the build is still followed by polling', async () => {
    const { deploy, receipts } = await run('not-the-secret', 's3cret', 'v1.5.3', 300);

    expect(receipts.length).toBeGreaterThan(0);
    expect(receipts.every((r) => r.status === 401 && r.woken.length === 0)).toBe(true);
    expect(sim.deliveries.every((d) => d.status === 401)).toBe(true);
    expect(deploy.phase).toBe('succeeded');
  });
});
