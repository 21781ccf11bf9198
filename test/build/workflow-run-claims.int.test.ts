import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createImageChecker, createReleaseSteps, receiveWorkflowRun, recordWorkflowRun, type BuildState } from '../../src/build/index.ts';
import { createGitHubClient, createWorkflowRunWebhookVerifier } from '../../src/github/index.ts';
import { startSimGitHub, type SimGitHub } from '@deckhand/sim/github';
import { deployOf, driveSteps, memoryRecords } from './drive-steps.ts';

const SECRET = 's3cret';
const TARGET = { repository: 'acme/api', image: 'registry.local/acme/api', workflow: 'build.yml' };

/** A signed `workflow_run` delivery claiming the run succeeded, as one with the webhook secret could send it. */
function signedClaim(runId: number): { headers: Record<string, string>; body: string } {
  const body = JSON.stringify({
    action: 'completed',
    workflow_run: { id: runId, status: 'completed', conclusion: 'success', html_url: 'https://evil.example/green', head_branch: 'v1.6.0' },
    repository: { full_name: 'acme/api' },
  });
  return { body, headers: { 'x-github-event': 'workflow_run', 'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}` } };
}

async function until<T>(check: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; ; await new Promise((r) => setTimeout(r, 20))) {
    const v = check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('timed out waiting');
  }
}

/** The build steps against the simulated GitHub, polling only every 10 s: early moves are the webhook's doing. */
describe('a workflow_run claim against what the GitHub API says', () => {
  let sim: SimGitHub;
  afterEach(async () => { await sim.close(); });

  function start(version: string) {
    const records = memoryRecords([deployOf('1', version)]);
    const steps = createReleaseSteps({
      github: createGitHubClient({ baseUrl: sim.url }), images: createImageChecker({ endpointFor: () => sim.url }),
      targetOf: () => TARGET, webhook: true, polling: { intervalMs: 100, webhookFallbackMs: 10_000 },
    });
    const driving = driveSteps(records, '1', steps, { timeoutMs: 30_000 });
    const deps = {
      verify: createWorkflowRunWebhookVerifier(SECRET), records,
      inFlightFor: async () => ['1'], wake: async () => driving.wake(),
    };
    const runId = (): number | undefined => (records.all.get('1')?.state.build as BuildState | undefined)?.runId;
    return { records, driving, deps, runId };
  }

  it('a signed "success" while the build is still running does not move the deploy on; the real failure then ends it', async () => {
    sim = await startSimGitHub({ buildDelayMs: 2_500 });
    const { records, driving, deps, runId } = start('v1.6.0');
    const id = await until(runId);
    const claim = signedClaim(id);

    const receipt = await receiveWorkflowRun(deps, claim.headers, claim.body);

    expect(receipt).toEqual({ status: 202, woken: ['1'] });
    await new Promise((r) => setTimeout(r, 600));
    expect(records.all.get('1')?.phase).toBe('building');
    expect(sim.runsOf('acme/api')[0]?.status).not.toBe('completed');
    // GitHub's own completion, delivered the same way, wakes it again and the API tells the truth.
    await until(() => sim.runsOf('acme/api')[0]?.status === 'completed');
    await receiveWorkflowRun(deps, claim.headers, claim.body);
    const { deploy, startRan } = await driving.done;
    expect(deploy.phase).toBe('failed');
    expect(startRan).toBe(false);
    expect(deploy.summary).toContain(`/acme/api/actions/runs/${id}`);
    expect(deploy.summary).not.toContain('evil.example');
  });

  it('a flood of signed deliveries costs at most one GitHub request per poll interval', async () => {
    sim = await startSimGitHub({ buildDelayMs: 1_500 });
    const { deps, runId, driving } = start('v1.5.3');
    const id = await until(runId);
    const claim = signedClaim(id);
    const before = sim.requests.length;
    const t0 = Date.now();

    // Until GitHub has finished the run, and once more after: the last one is the wake-up that lets it go on.
    let sent = 0;
    for (let done = false; !done; sent++) {
      done = sim.runsOf('acme/api')[0]?.status === 'completed';
      await receiveWorkflowRun(deps, claim.headers, claim.body);
      await new Promise((r) => setTimeout(r, 10));
    }

    const elapsed = Date.now() - t0;
    const made = sim.requests.slice(before).filter((r) => r.path.startsWith(`/repos/acme/api/actions/runs/${id}`)).length;
    expect(made).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 2);
    expect(sent).toBeGreaterThan(40);
    expect(made).toBeLessThan(sent / 4);
    expect((await driving.done).deploy.phase).toBe('succeeded');
  });

  it('recording a wake-up only asks for a read of the run, once, and never for an ended deploy or another run', () => {
    const following = deployOf('1', 'v1.6.0', { phase: 'building', state: { build: { runId: 7, nextPoll: 'jobs', conclusion: null } } });

    const marked = recordWorkflowRun(following, { runId: 7 });

    expect(marked?.state.build).toEqual({ runId: 7, nextPoll: 'run', conclusion: null });
    expect(marked && recordWorkflowRun(marked, { runId: 7 })).toBeUndefined();
    expect(recordWorkflowRun(following, { runId: 8 })).toBeUndefined();
    expect(recordWorkflowRun({ ...following, phase: 'failed' }, { runId: 7 })).toBeUndefined();
  });
});
