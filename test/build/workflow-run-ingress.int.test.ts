import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BuildState } from '../../src/build/index.ts';
import type { Deploy } from '../../src/deploy/index.ts';
import { createHttpServer, type HttpServer } from '../../src/http/index.ts';
import { createWorkflowRunIngress } from '../../src/wiring/workflow-run-ingress.ts';
import { startWorld, WORLD_CONFIG, worldConfig, type World } from '../helpers/world.ts';

const SECRET = 'workflow-run-webhook-secret';

function sign(body: string, secret = SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** A `workflow_run` delivery as GitHub sends it (trimmed), claiming whatever the test says. */
function delivery(runId: number, claim: { action?: string; status?: string; conclusion?: string | null; htmlUrl?: string } = {}): string {
  return JSON.stringify({
    action: claim.action ?? 'completed',
    workflow_run: {
      id: runId, name: 'build', head_branch: 'v1.6.0', event: 'workflow_dispatch', status: claim.status ?? 'completed',
      conclusion: claim.conclusion === undefined ? 'success' : claim.conclusion, html_url: claim.htmlUrl ?? `https://github.com/acme/api/actions/runs/${runId}`,
    },
    repository: { full_name: 'acme/api' },
    sender: { login: 'octocat', type: 'User' },
  });
}

/**
 * The webhook on Deckhand's one HTTP server, in front of the whole app (queue, pipeline, simulated GitHub and
 * cluster). With a webhook secret configured, Deckhand polls a build only as a 60-second safety net, so within a
 * test every early move of a deploy is the webhook's doing — and the tests show it only ever wakes the deploy.
 */
describe('the workflow_run webhook on the HTTP server: a claim that wakes, never a fact', () => {
  let world: World;
  let http: HttpServer;
  let url: string;
  beforeEach(async () => {
    world = await startWorld({ github: true, config: worldConfig(WORLD_CONFIG, { GITHUB_WEBHOOK_SECRET: SECRET }) });
    http = createHttpServer();
    http.mount('/github/webhook', createWorkflowRunIngress({ secret: SECRET, config: world.config, deploys: world.app.deploys, locks: world.app.locks, queue: world.app.queue }));
    await http.listen(0);
    url = `http://127.0.0.1:${(http.server.address() as AddressInfo).port}/github/webhook`;
  });
  afterEach(async () => {
    await http.close({ timeoutMs: 1000 });
    await world.stop();
  });

  const post = (body: string, signature?: string) => fetch(url, {
    method: 'POST', body,
    headers: { 'content-type': 'application/json', 'x-github-event': 'workflow_run', 'x-github-delivery': `d-${Math.random()}`, ...(signature !== undefined && { 'x-hub-signature-256': signature }) },
  });

  /** Deploys `version` and waits until its build run has finished on GitHub while the deploy still waits for news. */
  async function buildFinishedUnnoticed(version: string): Promise<{ deploy: Deploy; runId: number; runUrl: string }> {
    await world.say(`/deploy api ${version} to staging`);
    const github = world.github!;
    for (const deadline = Date.now() + 15_000; ; await new Promise((r) => setTimeout(r, 25))) {
      if (Date.now() > deadline) throw new Error(`the build never finished unnoticed: ${JSON.stringify(await world.app.deploys.get('1'))} ${JSON.stringify(github.runsOf('acme/api'))} ${world.output()}`);
      const d = await world.app.deploys.get('1');
      const b = d ? (d.state.build ?? {}) as BuildState : {};
      const run = github.runsOf('acme/api').find((r) => r.id === b.runId);
      if (d && run?.status === 'completed' && d.step === 'build_follow' && b.lastPollAt !== undefined) {
        // Settled: the worker has recorded its wait (the record no longer changes on its own).
        await new Promise((r) => setTimeout(r, 300));
        const settled = await world.app.deploys.get('1');
        if (JSON.stringify(settled) !== JSON.stringify(d)) continue;
        expect(d.phase).toBe('building');
        return { deploy: d, runId: run.id, runUrl: `${github.url}/_html/acme/api/actions/runs/${run.id}` };
      }
    }
  }

  const runReads = (runId: number): number => world.github!.requests.filter((r) => r.path === `/repos/acme/api/actions/runs/${runId}`).length;

  it('given a signed "success" for a build GitHub reports as failed, then the deploy fails with the build\'s link and nothing is rolled out', async () => {
    const { runId, runUrl } = await buildFinishedUnnoticed('v1.6.0');
    expect(world.github!.runsOf('acme/api').find((r) => r.id === runId)?.conclusion).toBe('failure');

    const body = delivery(runId, { conclusion: 'success', htmlUrl: 'https://evil.example/all-green' });
    const res = await post(body, sign(body));

    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ woken: ['1'] });
    const d = await world.waitForPhase('1', ['succeeded', 'failed', 'rolled_back', 'aborted'], 10_000);
    expect(d.phase).toBe('failed');
    expect(d.summary).toBe(`The build of v1.6.0 failed (failure): ${runUrl}. Nothing was rolled out.`);
    expect(d.summary).not.toContain('evil.example');
    expect((d.state.build as BuildState).conclusion).toBe('failure');
    expect(world.sim.requests.filter((r) => r.method === 'PATCH')).toHaveLength(0);
    expect((await world.app.kube.readDeployment('staging', 'api')).images.api).toBe('registry.local/acme/api:v1.4.0');
  });

  it('given forged or unsigned deliveries, then each gets 401 and nothing changes; the genuine one then lets the deploy proceed', async () => {
    const { deploy: before, runId } = await buildFinishedUnnoticed('v1.5.3');
    const reads = runReads(runId);
    const claim = delivery(runId, { conclusion: 'success' });

    const forged = [
      await post(claim),
      await post(claim, sign(claim, 'guessed-secret')),
      await post(claim, sign(delivery(runId + 1), SECRET)),
      await post(claim, `sha1=${createHmac('sha1', SECRET).update(claim).digest('hex')}`),
      await post(claim, 'sha256='),
    ];

    expect(forged.map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
    await new Promise((r) => setTimeout(r, 500));
    expect(await world.app.deploys.get('1')).toEqual(before);
    expect(runReads(runId)).toBe(reads);

    const genuine = await post(claim, sign(claim));
    expect(genuine.status).toBe(202);
    const d = await world.waitForPhase('1', ['succeeded', 'failed', 'rolled_back', 'aborted'], 15_000);
    expect(d.phase, d.summary).toBe('succeeded');
    expect(runReads(runId)).toBeGreaterThan(reads);
    expect((await world.app.kube.readDeployment('staging', 'api')).images.api).toBe('registry.local/acme/api:v1.5.3');
  });

  it('given a signed delivery for a run no deploy follows, then it is accepted and wakes nothing', async () => {
    const { deploy: before } = await buildFinishedUnnoticed('v1.5.3');
    const body = delivery(999_999, { conclusion: 'success' });

    const res = await post(body, sign(body));

    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ woken: [] });
    await new Promise((r) => setTimeout(r, 300));
    expect(await world.app.deploys.get('1')).toEqual(before);
  });
});
