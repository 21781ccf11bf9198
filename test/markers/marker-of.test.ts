import { describe, expect, it } from 'vitest';
import type { Deploy, DeployEvent, Phase } from '../../src/deploy/index.ts';
import { annotationOf, changeEventOf, markerOf, type Marker } from '../../src/markers/index.ts';

const CREATED = Date.parse('2026-12-01T10:00:00.000Z');
const NOW = CREATED + 120_000;
const deploy = (over: Partial<Deploy> = {}): Deploy => ({
  id: '7', service: 'api', env: 'production', action: { kind: 'deploy', version: 'v1.5.0', strategy: { kind: 'canary', percent: 5 } },
  requestedBy: { id: 'U1', name: 'alice', platform: 'slack', groups: [] }, channel: 'C1', phase: 'rolling_out', step: 'create_canary',
  state: {}, steering: {}, approvals: [], createdAt: new Date(CREATED).toISOString(), updatedAt: new Date(CREATED).toISOString(), ...over,
});
const phase = (p: Phase, over: Partial<Deploy> = {}, message = ''): DeployEvent => ({ kind: 'phase', deploy: deploy({ phase: p, ...over }), phase: p, message });

describe('markerOf: which deploy events are marked', () => {
  it.each<[string, DeployEvent, Partial<Marker> | undefined]>([
    ['a rollout starting', phase('rolling_out', {}, 'Canary plan'), { kind: 'start', key: 'start' }],
    ['a canary traffic step', { kind: 'note', deploy: deploy({ step: 'await_canary', state: { weightSetAt: 5 } }), message: 'Step 1/4: canary gets 5%' }, { kind: 'step', key: 'step:5' }],
    ['the promotion to 100%', { kind: 'note', deploy: deploy({ step: 'promote' }), message: 'Promoting v1.5.0 to stable' }, { kind: 'step', key: 'step:promote' }],
    ['a vote or other note', { kind: 'note', deploy: deploy({ step: 'hold' }), message: 'Paused by alice' }, undefined],
    ['progress', { kind: 'progress', deploy: deploy(), progress: { desired: 4, updated: 1, ready: 1, available: 1 }, message: '1/4' }, undefined],
    ['a rollback beginning', phase('rolling_back'), { kind: 'rollback', key: 'rolling_back' }],
    ['success', phase('succeeded'), { kind: 'success', key: 'end', from: CREATED }],
    ['rolled back', phase('rolled_back'), { kind: 'rollback', key: 'end', from: CREATED }],
    ['aborted', phase('aborted'), { kind: 'abort', key: 'end', from: CREATED }],
    ['failed', phase('failed'), { kind: 'failed', key: 'end', from: CREATED }],
    ['a rollback deploy starting', phase('rolling_out', { action: { kind: 'rollback' } }), { kind: 'rollback', key: 'start' }],
    ['a rollback deploy done', phase('succeeded', { action: { kind: 'rollback' } }), { kind: 'rollback', key: 'end' }],
    ['awaiting approval', phase('awaiting_approval'), undefined],
    ['denied', phase('denied'), undefined],
  ])('%s', (_what, event, expected) => {
    const m = markerOf(event, NOW);
    if (expected === undefined) expect(m).toBeUndefined();
    else expect(m).toMatchObject({ ...expected, at: NOW });
  });
});

describe('what Grafana and PagerDuty are sent', () => {
  it('a point annotation for a moment, a region for the end, tagged and with its text escaped for Grafana\'s HTML', () => {
    const start = markerOf(phase('rolling_out', { service: 'api' }, 'plan <b>5%</b> & more'), NOW)!;
    expect(annotationOf(start)).toEqual({
      time: NOW, tags: ['deckhand', 'service:api', 'env:production', 'version:v1.5.0', 'deploy:7', 'event:start'],
      text: 'Deckhand #7 api v1.5.0 (canary 5%) → production: plan &lt;b&gt;5%&lt;/b&gt; &amp; more',
    });
    expect(annotationOf(markerOf(phase('succeeded'), NOW)!)).toMatchObject({ time: CREATED, timeEnd: NOW });
  });

  it('a change event with routing key, summary, timestamp, source, details and links', () => {
    const m = markerOf(phase('succeeded', { summary: 'done' }, 'api v1.5.0 is live'), NOW)!;
    expect(changeEventOf(m, 'KEY', [{ label: 'grafana', url: 'https://grafana.example/d/abc' }])).toEqual({
      routing_key: 'KEY',
      payload: {
        summary: 'Deckhand #7 api v1.5.0 (canary 5%) → production: api v1.5.0 is live',
        timestamp: new Date(NOW).toISOString(),
        source: 'deckhand',
        custom_details: { event: 'success', service: 'api', env: 'production', version: 'v1.5.0', deploy_id: '7', strategy: 'canary', phase: 'succeeded', requested_by: 'alice', started_at: new Date(CREATED).toISOString() },
      },
      links: [{ href: 'https://grafana.example/d/abc', text: 'grafana' }],
    });
  });

  it('cuts a summary to PagerDuty\'s 1,024 characters', () => {
    const m = markerOf(phase('failed', {}, 'x'.repeat(5000)), NOW)!;
    const summary = (changeEventOf(m, 'KEY') as { payload: { summary: string } }).payload.summary;
    expect(summary).toHaveLength(1024);
    expect(summary.endsWith('…')).toBe(true);
  });
});
