import { afterEach, describe, expect, it } from 'vitest';
import { parseTraceparent } from '../../src/deploy/index.ts';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../helpers/otlp-receiver.ts';
import { startMarkersWorld, type MarkersWorld } from '../markers/markers-world.ts';

const END = ['succeeded', 'failed', 'rolled_back', 'aborted'] as const;
const isRoot = (s: ReceivedSpan) => s.name.startsWith('deploy ');

describe('Deckhand traces itself: one OpenTelemetry trace per deploy, exported over OTLP/HTTP', () => {
  let receiver: OtlpReceiver;
  let world: MarkersWorld | undefined;
  afterEach(async () => {
    await world?.stop();
    world = undefined;
    await receiver.close();
  });

  const start = async () => {
    receiver = await startOtlpReceiver();
    world = await startMarkersWorld({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'deckhand-test' }, { deckhand: { tracing: { batchDelayMs: 100 } } });
    return world;
  };

  it('given a canary deploy, then its steps are child spans of one root span whose ids are the record\'s traceparent', async () => {
    const w = await start();

    await w.say('/deploy api v1.5.0 to staging canary 5%');
    const d = await w.waitForPhase('1', [...END], 30_000);
    const [root] = await receiver.waitFor(isRoot);
    await w.app.markers();

    expect(d.phase).toBe('succeeded');
    const recorded = parseTraceparent(d.traceparent);
    expect(recorded).toBeDefined();
    expect(root).toMatchObject({
      traceId: recorded!.traceId, spanId: recorded!.spanId, name: 'deploy api staging',
      attributes: { 'deckhand.deploy.id': '1', 'deckhand.service': 'api', 'deckhand.env': 'staging', 'deckhand.version': 'v1.5.0', 'deckhand.strategy': 'canary', 'deckhand.outcome': 'succeeded' },
      resource: { 'service.name': 'deckhand-test' },
    });
    expect(root!.parentSpanId).toBeUndefined();
    expect(root!.startMs).toBe(new Date(d.createdAt).getTime());
    expect(root!.endMs).toBe(new Date(d.finishedAt!).getTime());
    const steps = receiver.spans.filter((s) => !isRoot(s));
    // Every step run of the deploy, in this one trace, under the root.
    const names = new Set(steps.map((s) => s.name));
    for (const step of ['start', 'set_weight', 'await_canary', 'hold', 'promote', 'cleanup']) expect(names).toContain(`step ${step}`);
    for (const s of steps) {
      expect(s.traceId).toBe(root!.traceId);
      expect(s.parentSpanId).toBe(root!.spanId);
      expect(s.attributes).toMatchObject({ 'deckhand.service': 'api', 'deckhand.env': 'staging', 'deckhand.version': 'v1.5.0', 'deckhand.strategy': 'canary', 'deckhand.outcome': 'ok' });
      expect(s.startMs).toBeGreaterThanOrEqual(root!.startMs);
      expect(s.endMs).toBeLessThanOrEqual(root!.endMs + 50);
    }
    expect(new Set(receiver.contentTypes)).toEqual(new Set(['application/json']));
  });

  it('given two deploys, then each is its own trace, and a failed canary\'s root span says it was rolled back', async () => {
    const w = await start();

    await w.say('/deploy api v1.5.2 to staging canary 5%');
    const first = await w.waitForPhase('1', [...END], 30_000);
    await w.say('/deploy web v2.1.0 to staging');
    const second = await w.waitForPhase('2', [...END], 30_000);
    const roots = await receiver.waitFor(isRoot, 2);
    await w.app.markers();

    expect([first.phase, second.phase]).toEqual(['rolled_back', 'succeeded']);
    const byId = new Map(roots.map((r) => [r.attributes['deckhand.deploy.id'], r]));
    expect(byId.get('1')).toMatchObject({ traceId: parseTraceparent(first.traceparent)!.traceId, attributes: { 'deckhand.outcome': 'rolled_back', 'deckhand.version': 'v1.5.2' } });
    expect(byId.get('2')).toMatchObject({ traceId: parseTraceparent(second.traceparent)!.traceId, attributes: { 'deckhand.service': 'web', 'deckhand.strategy': 'rolling' } });
    expect(byId.get('1')!.traceId).not.toBe(byId.get('2')!.traceId);
    for (const s of receiver.spans.filter((x) => !isRoot(x))) {
      expect(s.traceId).toBe(byId.get(String(s.attributes['deckhand.deploy.id']))!.traceId);
    }
    expect(receiver.spans.some((s) => s.traceId === byId.get('1')!.traceId && s.name === 'step abort')).toBe(true);
  });

  it('given the worker killed mid-deploy, when another process resumes it, then the steps of both processes share the deploy\'s trace', async () => {
    const w = await start();
    await w.say('/deploy api v1.5.0 to staging canary 5%');
    await receiver.waitFor((s) => s.name === 'step set_weight');

    await w.app.stopWorker(true);
    const firstProcessSpans = receiver.spans.length;
    const next = await w.restart({ tracing: { batchDelayMs: 100 } });
    const d = await w.waitForPhase('1', [...END], 30_000);
    const [root] = await receiver.waitFor(isRoot);
    await next.markers();

    expect(d.phase).toBe('succeeded');
    const { traceId, spanId } = parseTraceparent(d.traceparent)!;
    expect(root).toMatchObject({ traceId, spanId });
    expect(receiver.spans.length).toBeGreaterThan(firstProcessSpans + 1);
    expect(receiver.spans.every((s) => s.traceId === traceId)).toBe(true);
    expect(receiver.spans.filter((s) => !isRoot(s)).every((s) => s.parentSpanId === spanId)).toBe(true);
  });

  it('without OTEL_EXPORTER_OTLP_ENDPOINT, nothing is exported, and the record still carries its trace context', async () => {
    receiver = await startOtlpReceiver();
    world = await startMarkersWorld({});
    await world.say('/deploy api v1.5.0 to staging');
    const d = await world.waitForPhase('1', [...END], 30_000);
    await world.app.markers();

    expect(d.phase).toBe('succeeded');
    expect(parseTraceparent(d.traceparent)).toBeDefined();
    expect(receiver.spans).toHaveLength(0);
  });
});
