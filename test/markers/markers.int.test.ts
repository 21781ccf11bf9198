import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startGrafanaApiServer, type GrafanaApiServer, type StoredAnnotation } from '../helpers/grafana-api-server.ts';
import { startPagerDutyEventsServer, type PagerDutyEventsServer } from '../helpers/pagerduty-events-server.ts';
import { startMarkersWorld, type MarkersWorld } from './markers-world.ts';

const END = ['succeeded', 'failed', 'rolled_back', 'aborted'] as const;
const eventOf = (a: StoredAnnotation) => a.tags.find((t) => t.startsWith('event:'))?.slice('event:'.length);
const tagsFor = (version: string, id: string, event: string) => ['deckhand', 'service:api', 'env:staging', `version:${version}`, `deploy:${id}`, `event:${event}`];

describe('deploy markers: Grafana annotations and PagerDuty change events, through the composition root', () => {
  const token = `glsa_${randomBytes(16).toString('hex')}`;
  const routingKey = randomBytes(16).toString('hex');
  let grafana: GrafanaApiServer;
  let pagerduty: PagerDutyEventsServer;
  let world: MarkersWorld | undefined;

  const start = async (grafanaToken = token) => {
    grafana = await startGrafanaApiServer({ token });
    pagerduty = await startPagerDutyEventsServer();
    world = await startMarkersWorld({ GRAFANA_URL: grafana.url, GRAFANA_TOKEN: grafanaToken, PAGERDUTY_ROUTING_KEY: routingKey, PAGERDUTY_EVENTS_URL: pagerduty.url });
    return world;
  };
  afterEach(async () => {
    await world?.stop();
    world = undefined;
    await grafana.close();
    await pagerduty.close();
  });

  it('given a healthy canary, when it is promoted, then start, every step and success are annotated with the deploy\'s tags', async () => {
    const w = await start();

    await w.say('/deploy api v1.5.0 to staging canary 5%');
    const d = await w.waitForPhase('1', [...END], 30_000);
    // The record ends a moment before its last event is published: wait for the marker, then for the queue.
    await grafana.waitFor((a) => eventOf(a) === 'success');
    await w.app.markers();

    expect(d.phase).toBe('succeeded');
    const events = grafana.annotations.map(eventOf);
    // Three traffic steps (5% → 25%, 25%, 50%) and the promotion to 100%.
    expect(events).toEqual(['start', 'step', 'step', 'step', 'step', 'success']);
    expect(grafana.annotations[0]!.tags).toEqual(tagsFor('v1.5.0', '1', 'start'));
    expect(grafana.annotations.every((a) => a.tags.slice(0, 5).join() === tagsFor('v1.5.0', '1', '').slice(0, 5).join())).toBe(true);
    expect(grafana.annotations[1]!.text).toContain('Step 1/4');
    expect(grafana.annotations[4]!.text).toContain('Promoting v1.5.0 to stable');
    // The points are points; the end is a region over the whole rollout, from its start annotation to its end.
    const [first, , , , , last] = grafana.annotations;
    expect(first!.timeEnd).toBe(first!.time);
    expect(last!.time).toBe(first!.time);
    expect(last!.timeEnd).toBeGreaterThan(last!.time);
    expect(last!.timeEnd).toBeLessThanOrEqual(new Date(d.finishedAt!).getTime() + 1_000);
    expect(grafana.requests.every((r) => r.authorization === `Bearer ${token}` && r.status === 200)).toBe(true);
    // Grafana finds them by tag, like a dashboard's annotation query does.
    const found = await (await fetch(`${grafana.url}/api/annotations?tags=service:api&tags=deploy:1&tags=event:success`, { headers: { authorization: `Bearer ${token}` } })).json() as unknown[];
    expect(found).toHaveLength(1);
  });

  it('given PagerDuty is configured, then each marker is also a change event with the deploy\'s details and links', async () => {
    const w = await start();

    await w.say('/deploy api v1.5.0 to staging');
    const d = await w.waitForPhase('1', [...END], 30_000);
    await pagerduty.waitFor((e) => e.payload.custom_details?.event === 'success');
    await w.app.markers();

    expect(d.phase).toBe('succeeded');
    expect(pagerduty.changeEvents.map((e) => e.payload.custom_details?.event)).toEqual(['start', 'success']);
    const success = pagerduty.changeEvents[1]!;
    expect(success).toMatchObject({
      routing_key: routingKey,
      payload: {
        source: 'deckhand',
        custom_details: { event: 'success', service: 'api', env: 'staging', version: 'v1.5.0', deploy_id: '1', strategy: 'rolling', phase: 'succeeded', requested_by: 'alice' },
      },
    });
    expect(success.payload.summary).toMatch(/^Deckhand #1 api v1\.5\.0 \(rolling\) → staging: /);
    expect(new Date(success.payload.timestamp!).toISOString()).toBe(success.payload.timestamp);
    const links = success.links ?? [];
    expect(links.map((l) => l.text)).toEqual(['grafana', 'logs', 'traces', 'sentry']);
    const from = new Date(d.createdAt).getTime();
    const to = new Date(d.finishedAt!).getTime();
    expect(links[0]!.href).toBe(`https://grafana.example/d/abc/api?var-service=api&var-env=staging&from=${from}&to=${to}`);
    expect(links[3]!.href).toBe('https://sentry.example/organizations/acme/releases/v1.5.0/');
    // The same links are on the card, with the deploy's time range: the final card's ends when the deploy did.
    await w.app.cards.flush();
    expect(w.output()).toContain(`links: grafana https://grafana.example/d/abc/api?var-service=api&var-env=staging&from=${from}&to=${to}`);
    expect(w.output()).toContain(`logs https://kibana.example/app/discover#/?_g=(time:(from:${from},to:${to}))&_a=(query:(query:v1.5.0))`);
  });

  it('given a canary that fails analysis, then its start, its step and the rollback (begun, then done) are annotated', async () => {
    const w = await start();

    await w.say('/deploy api v1.5.2 to staging canary 5%');
    const d = await w.waitForPhase('1', [...END], 30_000);
    await grafana.waitFor((a) => eventOf(a) === 'rollback', 2);
    await w.app.markers();

    expect(d.phase).toBe('rolled_back');
    expect(grafana.annotations.map(eventOf)).toEqual(['start', 'step', 'rollback', 'rollback']);
    const [, , begun, done] = grafana.annotations;
    // Grafana renders annotation text as HTML: the `>` of the check's message arrives escaped.
    expect(begun!.text).toContain('Analysis failed: error-rate 8% &gt; 1%');
    expect(begun!.timeEnd).toBe(begun!.time);
    expect(done!.tags).toEqual(tagsFor('v1.5.2', '1', 'rollback'));
    expect(done!.timeEnd).toBeGreaterThan(done!.time);
  });

  it('given a canary in flight, when it is aborted from chat, then the abort is annotated', async () => {
    const w = await start();
    await w.say('/deploy api v1.5.0 to staging canary 5%');
    await grafana.waitFor((a) => eventOf(a) === 'step');

    await w.say('/abort api staging');
    const d = await w.waitForPhase('1', [...END], 20_000);
    await grafana.waitFor((a) => eventOf(a) === 'abort');
    await pagerduty.waitFor((e) => e.payload.custom_details?.event === 'abort');
    await w.app.markers();

    expect(d.phase).toBe('aborted');
    const events = grafana.annotations.map(eventOf);
    expect(events[0]).toBe('start');
    expect(events.at(-1)).toBe('abort');
    expect(grafana.annotations.at(-1)!.tags).toEqual(tagsFor('v1.5.0', '1', 'abort'));
    expect(pagerduty.changeEvents.at(-1)?.payload.custom_details).toMatchObject({ event: 'abort', phase: 'aborted' });
  });

  it('given a deploy that succeeded, when it is rolled back from chat, then the rollback is marked with the version it restores', async () => {
    const w = await start();
    await w.say('/deploy api v1.5.0 to staging');
    await w.waitForPhase('1', 'succeeded', 20_000);

    await w.say('/rollback api staging');
    const r = await w.waitForPhase('2', [...END], 20_000);
    await grafana.waitFor((a) => a.tags.includes('deploy:2'), 2);
    await w.app.markers();

    expect(r.phase).toBe('succeeded');
    const rollback = grafana.annotations.filter((a) => a.tags.includes('deploy:2'));
    expect(rollback.map((a) => a.tags)).toEqual([tagsFor('v1.4.0', '2', 'rollback'), tagsFor('v1.4.0', '2', 'rollback')]);
    expect(rollback[1]!.timeEnd).toBeGreaterThan(rollback[1]!.time);
  });

  it('given Grafana answering 503 twice, then the marker is retried and arrives', async () => {
    const w = await start();
    grafana.failNext(2, 503);

    await w.say('/deploy api v1.5.0 to staging');
    await w.waitForPhase('1', 'succeeded', 20_000);
    await grafana.waitFor((a) => eventOf(a) === 'success');
    await w.app.markers();

    expect(grafana.requests.filter((r) => r.status === 503)).toHaveLength(2);
    expect(grafana.annotations.map(eventOf).sort()).toEqual(['start', 'success']);
  });

  it('given a token Grafana refuses and PagerDuty unreachable, then the deploy still succeeds and the failure is logged without the secrets', async () => {
    const wrong = `glsa_${randomBytes(16).toString('hex')}`;
    const w = await start(wrong);
    await pagerduty.close();

    await w.say('/deploy api v1.5.0 to staging');
    const d = await w.waitForPhase('1', [...END], 20_000);
    const given = (n: number) => w.logs().split('\n').filter((l) => l.includes('deploy marker not delivered')).length >= n;
    for (const deadline = Date.now() + 10_000; !given(4) && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 50));
    await w.app.markers();

    expect(d.phase).toBe('succeeded');
    expect(grafana.annotations).toHaveLength(0);
    // A refusal is not retried; an unreachable PagerDuty is, a bounded number of times.
    expect(grafana.requests.filter((r) => r.status === 401)).toHaveLength(2);
    const lines = w.logs().split('\n').filter((l) => l.includes('deploy marker not delivered'));
    expect(lines.some((l) => l.includes('"status":401') && l.includes('"attempts":1'))).toBe(true);
    expect(lines.some((l) => l.includes('PagerDuty') && l.includes('"attempts":3'))).toBe(true);
    expect(w.logs()).not.toContain(wrong);
    expect(w.logs()).not.toContain(routingKey);
  });
});
