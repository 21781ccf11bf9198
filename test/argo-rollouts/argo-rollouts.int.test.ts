import { afterEach, describe, expect, it } from 'vitest';
import { at, IMAGE, RO, startArgoWorld, startFixedPrometheus, type ArgoWorld } from './argo-rollouts-world.ts';

const END = ['succeeded', 'failed', 'rolled_back', 'aborted'] as const;
const ROLLOUT = `${RO}/rollouts/search`;
const STEPS = [{ setWeight: 20 }, { pause: {} }, { setWeight: 60 }, { pause: { duration: '1s' } }];

let world: ArgoWorld;
afterEach(async () => { await world.stop(); });

const phase = (ro: unknown): unknown => at(ro, 'status', 'phase');
/** The writes to the Rollout after the image was set: what steering sent. */
const steeringWrites = (w: ArgoWorld) => w.writes().filter((x) => x.method === 'PATCH').map((x) => ({ path: x.path, contentType: x.contentType, body: x.body }));

describe('Argo Rollouts driven from chat', () => {
  it('sets the image, follows the steps on the card, and Promote sends the plugin\'s patch to the status subresource', async () => {
    world = await startArgoWorld(STEPS);
    await world.say('/deploy search v1.1.0 to staging canary');
    const paused = await world.until('the pause step', (ro) => phase(ro) === 'Paused' && at(ro, 'status', 'currentStepIndex') === 1);

    // `set image`: a read, then an update (PUT) of the whole Rollout with only the container's image changed.
    const put = world.writes().filter((w) => w.method === 'PUT');
    expect(put).toHaveLength(1);
    expect(put[0]?.path).toBe(ROLLOUT);
    expect(at(put[0]?.body, 'spec', 'template', 'spec', 'containers', 0, 'image')).toBe(`${IMAGE}:v1.1.0`);
    expect(at(paused, 'status', 'canary', 'weights', 'canary', 'weight')).toBe(20);
    expect(await world.weights()).toEqual({ 'search-stable': 80, 'search-canary': 20 });
    await expect.poll(() => world.output(), { timeout: 5_000 }).toContain('step 2/4 (pause (until promoted)) · canary 20% / stable 80%');
    expect(world.output()).toContain('https://rollouts.example.com/rollouts/rollout/shop/search');

    await world.say('/promote search staging');
    const d = await world.waitForPhase('1', [...END], 20_000);
    expect(d.phase).toBe('succeeded');
    // Paused at a pause step (pause conditions, not spec.paused): the plugin clears the conditions, nothing else.
    expect(steeringWrites(world)).toEqual([{ path: `${ROLLOUT}/status`, contentType: 'application/merge-patch+json', body: { status: { pauseConditions: null } } }]);
    const ro = await world.rollout();
    expect(at(ro, 'status', 'stableRS')).toBe(at(ro, 'status', 'currentPodHash'));
    expect(await world.weights()).toEqual({ 'search-stable': 100, 'search-canary': 0 });
    expect(d.summary).toContain('v1.1.0 is stable in staging: Rollout search is Healthy');
  });

  it('Pause sets spec.paused, Resume clears it, and a full promotion sets status.promoteFull', async () => {
    world = await startArgoWorld([{ setWeight: 20 }, { pause: { duration: '30s' } }, { setWeight: 60 }, { pause: {} }]);
    await world.say('/deploy search v1.1.0 to staging canary');
    await world.until('the timed pause', (ro) => at(ro, 'status', 'currentStepIndex') === 1);
    await world.say('/pause search staging');
    await world.until('spec.paused', (ro) => at(ro, 'spec', 'paused') === true);
    // The pause holds while it is asked: the card offers Resume, and Deckhand does not send it again.
    await expect.poll(() => world.output(), { timeout: 5_000 }).toContain('buttons: Promote · Resume · Abort');
    await world.say('/resume search staging');
    await world.until('resumed', (ro) => at(ro, 'spec', 'paused') === false);

    // `/promote --full` records `promote: full` (see the report: the chat grammar is the lead's edit); the driver acts on it.
    await world.app.deploys.update('1', (d) => ({ ...d, steering: { ...d.steering, promote: 'full' } }));
    const d = await world.waitForPhase('1', [...END], 20_000);
    expect(d.phase).toBe('succeeded');
    expect(steeringWrites(world)).toEqual([
      { path: ROLLOUT, contentType: 'application/merge-patch+json', body: { spec: { paused: true } } },
      { path: ROLLOUT, contentType: 'application/merge-patch+json', body: { spec: { paused: false } } },
      { path: `${ROLLOUT}/status`, contentType: 'application/merge-patch+json', body: { status: { promoteFull: true } } },
    ]);
  });

  it('Abort sends status.abort through the status subresource: traffic back on stable, the deploy ends aborted', async () => {
    world = await startArgoWorld(STEPS);
    await world.say('/deploy search v1.1.0 to staging canary');
    await world.until('the pause step', (ro) => phase(ro) === 'Paused');
    await world.say('/abort search staging');
    const d = await world.waitForPhase('1', [...END], 20_000);

    expect(d.phase).toBe('aborted');
    expect(steeringWrites(world)).toEqual([{ path: `${ROLLOUT}/status`, contentType: 'application/merge-patch+json', body: { status: { abort: true } } }]);
    const ro = await world.rollout();
    expect([phase(ro), at(ro, 'status', 'abort')]).toEqual(['Degraded', true]);
    expect(await world.weights()).toEqual({ 'search-stable': 100, 'search-canary': 0 });
    expect(d.summary).toMatch(/^Aborted by alice\. All traffic is back on v1\.0\.0\./);

    // `/rollback` is the plugin's undo: the previous revision's template back into the Rollout (a JSON patch).
    await world.say('/rollback search staging');
    const back = await world.waitForPhase('2', [...END], 20_000);
    expect(back.phase).toBe('succeeded');
    const undo = world.writes().at(-1);
    expect(undo?.contentType).toBe('application/json-patch+json');
    expect(at(undo?.body, 0, 'op')).toBe('replace');
    expect(at(undo?.body, 0, 'path')).toBe('/spec/template');
    expect(at(undo?.body, 0, 'value', 'spec', 'containers', 0, 'image')).toBe(`${IMAGE}:v1.0.0`);
    expect(at(undo?.body, 0, 'value', 'metadata', 'labels', 'rollouts-pod-template-hash')).toBeUndefined();
    const healthy = await world.until('Healthy on v1.0.0', (r) => phase(r) === 'Healthy');
    expect(at(healthy, 'spec', 'template', 'spec', 'containers', 0, 'image')).toBe(`${IMAGE}:v1.0.0`);
  });

  it('refuses a strategy that contradicts the Rollout\'s own before changing anything', async () => {
    world = await startArgoWorld(STEPS);
    await world.say('/deploy search v1.1.0 to staging bluegreen');
    const d = await world.waitForPhase('1', [...END]);
    expect(d.phase).toBe('failed');
    expect(d.summary).toContain('Refused, nothing was changed: a blue-green deploy was asked, but the Rollout\'s strategy is canary');
    expect(world.writes().filter((w) => w.method !== 'POST')).toEqual([]);
    expect(at(await world.rollout(), 'spec', 'template', 'spec', 'containers', 0, 'image')).toBe(`${IMAGE}:v1.0.0`);
  });

  it('an AnalysisRun that fails aborts the Rollout: the deploy fails with Argo\'s message, the measurements were on the card', async () => {
    const prometheus = await startFixedPrometheus('0.2');
    try {
      world = await startArgoWorld([{ setWeight: 20 }, { analysis: { templates: [{ templateName: 'error-rate' }] } }, { setWeight: 60 }]);
      await world.send('POST', `${RO}/analysistemplates`, {
        apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata: { name: 'error-rate' },
        spec: { metrics: [{ name: 'error-rate', interval: '200ms', count: 3, failureLimit: 1, successCondition: 'result[0] < 0.05', provider: { prometheus: { address: prometheus.url, query: 'sum(rate(http_requests_total{code=~"5.."}[1m]))' } } }] },
      });
      await world.say('/deploy search v1.1.0 to staging');
      const d = await world.waitForPhase('1', [...END], 20_000);

      expect(d.phase).toBe('failed');
      expect(d.summary).toMatch(/^Argo Rollouts aborted the rollout of v1\.1\.0; all traffic is back on v1\.0\.0\. Argo: RolloutAborted: .*error-rate.* assessed Failed/);
      await expect.poll(() => world.output(), { timeout: 5_000 }).toMatch(/analysis search-[a-z0-9]+-2-1 \w+ — error-rate \w+: \[0\.2\] \(Failed\)/);
      expect(await world.weights()).toEqual({ 'search-stable': 100, 'search-canary': 0 });
      // Deckhand only followed: it never wrote to the Rollout after setting the image.
      expect(world.writes().filter((w) => w.method === 'PATCH')).toEqual([]);
    } finally {
      await prometheus.close();
    }
  });

  it('the same version again on an aborted Rollout is the plugin\'s retry: status.abort false, the steps run again', async () => {
    world = await startArgoWorld(STEPS);
    await world.say('/deploy search v1.1.0 to staging canary');
    await world.until('the pause step', (ro) => phase(ro) === 'Paused');
    await world.say('/abort search staging');
    expect((await world.waitForPhase('1', [...END], 20_000)).phase).toBe('aborted');

    await world.say('/deploy search v1.1.0 to staging canary');
    const again = await world.until('the pause step again', (ro) => phase(ro) === 'Paused' && at(ro, 'status', 'abort') !== true);
    expect(at(again, 'status', 'canary', 'weights', 'canary', 'weight')).toBe(20);
    expect(steeringWrites(world).at(-1)).toEqual({ path: `${ROLLOUT}/status`, contentType: 'application/merge-patch+json', body: { status: { abort: false } } });
    await world.say('/promote search staging --full');
  });
});
