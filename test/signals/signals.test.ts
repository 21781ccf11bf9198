import { describe, expect, it } from 'vitest';
import type { Deploy } from '../../src/deploy/index.ts';
import { DEFAULT_SIGNALS } from '../../src/config/signals-schema.ts';
import { loadConfigText, secretsOf } from '../../src/config/index.ts';
import { checkSentryDelivery, matchServices, parseAlertmanager, parseSentry, signalCounts, verifySentrySignature, type Signal } from '../../src/signals/index.ts';
import { alertmanagerBody, sign } from './signals-world.ts';

const services = [
  { name: 'api', envs: ['staging', 'production'], signals: DEFAULT_SIGNALS },
  { name: 'shop', envs: ['staging'], signals: { alertLabels: ['app'], alertValue: 'shop-svc', envLabels: ['stage'], sentryProject: ['shop'] } },
];

function deploy(o: Partial<Deploy> = {}): Deploy {
  return {
    id: '7', service: 'api', env: 'staging', action: { kind: 'deploy', version: 'v1.5.0', strategy: { kind: 'canary', percent: 5 } },
    requestedBy: { id: 'alice', name: 'alice', platform: 'console', groups: [] }, channel: 'c', phase: 'watching', step: 'soak',
    state: {}, steering: {}, approvals: [], createdAt: '2026-12-07T10:00:00.000Z', updatedAt: '2026-12-07T10:00:00.000Z', ...o,
  };
}

const firing = (labels: Record<string, string>, startsAt = '2026-12-07T10:05:00Z'): Signal => ({ source: 'alertmanager', status: 'firing', name: 'X', labels, startsAt });

describe('parseAlertmanager', () => {
  it('reads each alert with its own status, summary and source link, falling back to externalURL', () => {
    const body = JSON.parse(alertmanagerBody([{ labels: { alertname: 'HighErrorRate', service: 'api' }, summary: '5xx' }, { labels: { alertname: 'Other' }, status: 'resolved' }])) as { alerts: { generatorURL?: string }[] };
    delete body.alerts[1]!.generatorURL;

    const r = parseAlertmanager(JSON.stringify(body));

    expect(r.ok && r.signals.map((s) => [s.name, s.status, s.summary, s.url?.slice(0, 23)])).toEqual([
      ['HighErrorRate', 'firing', '5xx', 'http://prometheus.local'],
      ['Other', 'resolved', undefined, 'http://alertmanager.loc'],
    ]);
  });

  it.each([['not json', '{'], ['another version', JSON.stringify({ version: '3', status: 'firing', alerts: [] })]])('refuses %s', (_what, body) => {
    expect(parseAlertmanager(body).ok).toBe(false);
  });
});

describe('matchServices', () => {
  it.each([
    [{ service: 'api' }, [{ service: 'api' }]],
    [{ deckhand_service: 'api', environment: 'production' }, [{ service: 'api', env: 'production' }]],
    [{ service: 'api', env: 'qa' }, []],
    [{ service: 'billing' }, []],
    [{ app: 'shop-svc', stage: 'staging' }, [{ service: 'shop', env: 'staging' }]],
    [{ service: 'shop' }, []],
  ])('labels %j are about %j', (labels, expected) => {
    expect(matchServices(firing(labels), services)).toEqual(expected);
  });

  it('matches Sentry by project slug or id', () => {
    const s: Signal = { source: 'sentry', status: 'firing', name: 'SHOP-1', labels: { project: 'shop' }, release: 'v1' };
    expect(matchServices(s, services)).toEqual([{ service: 'shop' }]);
    expect(matchServices({ ...s, labels: { project: 'else' } }, services)).toEqual([]);
  });
});

const sentryIssue: Signal = { source: 'sentry', status: 'firing', name: 'A', labels: {}, release: 'api@v1.5.0' };

describe('signalCounts', () => {
  it.each([
    ['a firing alert during the soak', firing({}), deploy(), true],
    ['a firing alert during the rollout', firing({}), deploy({ phase: 'rolling_out' }), true],
    ['a resolved alert', { ...firing({}), status: 'resolved' as const }, deploy(), false],
    ['an alert older than the deploy', firing({}, '2026-12-07T09:00:00Z'), deploy(), false],
    ['a deploy already being taken down', firing({}), deploy({ steering: { abort: { by: 'Alertmanager' } } }), false],
    ['a deploy awaiting approval', firing({}), deploy({ phase: 'awaiting_approval' }), false],
    ['a Sentry issue in the release', { source: 'sentry' as const, status: 'firing' as const, name: 'A', labels: {}, release: 'api@v1.5.0' }, deploy(), true],
    ['a Sentry issue in another release', { source: 'sentry' as const, status: 'firing' as const, name: 'A', labels: {}, release: 'v1.4.0' }, deploy(), false],
    ['a Sentry issue with no release', { source: 'sentry' as const, status: 'firing' as const, name: 'A', labels: {} }, deploy(), false],
    ['a Sentry issue first seen after the request', { ...sentryIssue, startsAt: '2026-12-07T10:02:00Z' }, deploy(), true],
    ['a Sentry issue first seen within the clock skew before it', { ...sentryIssue, startsAt: '2026-12-07T09:56:00Z' }, deploy(), true],
    ['a Sentry issue first seen 20 minutes before the request', { ...sentryIssue, startsAt: '2026-12-07T09:40:00Z' }, deploy(), false],
  ])('%s: %s', (_what, signal, d, counts) => {
    expect(signalCounts(signal, d).counts).toBe(counts);
  });
});

describe('Sentry deliveries', () => {
  it('verifies the hex HMAC-SHA256 of the exact body, in constant time', () => {
    const body = Buffer.from('{"action":"created"}');
    expect(verifySentrySignature(body, sign(body.toString()), 'sentry-client-secret-for-tests')).toBe(true);
    expect(verifySentrySignature(Buffer.from('{"action": "created"}'), sign(body.toString()), 'sentry-client-secret-for-tests')).toBe(false);
    expect(verifySentrySignature(body, undefined, 'sentry-client-secret-for-tests')).toBe(false);
    expect(verifySentrySignature(body, 'abc', 'sentry-client-secret-for-tests')).toBe(false);
  });

  it.each([
    ['fresh', sign('{}'), '1796637600', 1796637600_000, true],
    ['stamped 4 minutes ago (clock skew)', sign('{}'), '1796637600', 1796637840_000, true],
    ['stamped 5 minutes and 1 second ago', sign('{}'), '1796637600', 1796637901_000, false],
    ['stamped 6 minutes ahead', sign('{}'), '1796637960', 1796637600_000, false],
    ['without a timestamp', sign('{}'), undefined, 1796637600_000, false],
    ['with a timestamp in milliseconds', sign('{}'), '1796637600000', 1796637600_000, false],
    ['fresh, of another body', sign('{ }'), '1796637600', 1796637600_000, false],
  ])('checkSentryDelivery: a delivery %s is accepted: %s', (_what, signature, timestamp, now, ok) => {
    expect(checkSentryDelivery(Buffer.from('{}'), { signature, timestamp }, 'sentry-client-secret-for-tests', now).ok).toBe(ok);
  });

  it('dates a new issue by its first sighting and an issue alert by when Sentry received the event', () => {
    const issue = { action: 'created', data: { issue: { shortId: 'API-1', firstSeen: '2026-12-07T10:01:00Z', firstRelease: 'v2' } } };
    const alert = { action: 'triggered', data: { event: { release: 'v2', received: 1796637660.5, datetime: '2020-01-01T00:00:00Z' } } };
    const clientTimeOnly = { action: 'triggered', data: { event: { release: 'v2', datetime: '2026-12-07T10:03:00Z' } } };

    expect(parseSentry('issue', JSON.stringify(issue))).toMatchObject({ signals: [{ startsAt: '2026-12-07T10:01:00Z' }] });
    expect(parseSentry('event_alert', JSON.stringify(alert))).toMatchObject({ signals: [{ startsAt: '2026-12-07T10:01:00.500Z' }] });
    expect(parseSentry('event_alert', JSON.stringify(clientTimeOnly))).toMatchObject({ signals: [{ startsAt: '2026-12-07T10:03:00Z' }] });
  });

  it('reads only new issues and triggered issue alerts', () => {
    const issue = { action: 'created', data: { issue: { shortId: 'API-1', title: 't', project: { slug: 'api' }, firstRelease: { version: 'v2' } } } };
    expect(parseSentry('issue', JSON.stringify(issue))).toMatchObject({ ok: true, signals: [{ name: 'API-1', release: 'v2', labels: { project: 'api' } }] });
    expect(parseSentry('issue', JSON.stringify({ ...issue, action: 'assigned' }))).toEqual({ ok: true, signals: [] });
    expect(parseSentry('installation', '{}')).toEqual({ ok: true, signals: [] });
  });
});

describe('signals config', () => {
  const yaml = `
services:
  api:
    team: payments
    repository: acme/api
    image: registry.local/acme/api
    versionPattern: 'v.*'
    environments: { staging: { namespace: staging, deployment: api, container: api, replicas: 1 } }
    soak: 10m
    signals: { alertLabels: [app], sentryProject: api-backend }
`;

  it('reads soak, signals and the two secrets, which are masked in logs', () => {
    const r = loadConfigText(yaml, 'x.yaml', { ALERTMANAGER_TOKEN: 'am-token-0123456789abcdef', SENTRY_CLIENT_SECRET: 'shh-sentry' });
    if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('\n'));
    expect(r.config.services.api?.soak).toBe(600_000);
    expect(r.config.services.api?.signals).toEqual({ alertLabels: ['app'], envLabels: ['env', 'environment'], sentryProject: ['api-backend'] });
    expect(r.config.runtime.signals).toEqual({ alertmanagerToken: 'am-token-0123456789abcdef', sentryClientSecret: 'shh-sentry' });
    expect(secretsOf(r.config)).toEqual(expect.arrayContaining(['am-token-0123456789abcdef', 'shh-sentry']));
  });

  it('refuses a short ALERTMANAGER_TOKEN without echoing it', () => {
    const r = loadConfigText(yaml, 'x.yaml', { ALERTMANAGER_TOKEN: 'short' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems.map((p) => p.message).join('\n')).toContain('ALERTMANAGER_TOKEN must be at least 16 characters');
    expect(JSON.stringify(r)).not.toContain('short"');
  });
});
