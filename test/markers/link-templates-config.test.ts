import { describe, expect, it } from 'vitest';
import { formatConfigProblems, loadConfigText } from '../../src/config/index.ts';

const withLinks = (links: string) => `
services:
  api:
    team: payments
    repository: acme/api
    image: registry.local/acme/api
    versionPattern: 'v\\d+\\.\\d+\\.\\d+'
    environments:
      staging: { namespace: staging, deployment: api, container: api, replicas: 1 }
    links:
${links}
`;

function problems(text: string, env: Record<string, string> = {}): string {
  const r = loadConfigText(text, 'deckhand.yaml', env);
  if (r.ok) throw new Error('expected problems');
  return formatConfigProblems(r.problems);
}

describe('link templates in deckhand.yaml', () => {
  it('accepts http(s) templates with the known placeholders', () => {
    const r = loadConfigText(withLinks(`      grafana: 'https://grafana.example/d/abc?var-service={service}&from={from}&to={to}'
      sentry: 'http://sentry.local/releases/{version}/?deploy={deployId}&env={env}'`), 'deckhand.yaml', {});
    if (!r.ok) throw new Error(formatConfigProblems(r.problems));
    expect(Object.keys(r.config.services.api!.links!)).toEqual(['grafana', 'sentry']);
  });

  it.each([
    ['a scheme other than http(s)', `      grafana: 'javascript:alert({service})'`, 'services.api.links.grafana: must be an http:// or https:// URL'],
    ['no URL at all', `      logs: 'kibana {service}'`, 'services.api.links.logs: must be an http:// or https:// URL'],
    ['an unknown placeholder', `      traces: 'https://jaeger.example/search?service={servce}'`, 'services.api.links.traces: has an unknown placeholder {servce} (known: {service} {env} {version} {deployId} {from} {to})'],
    ['a value that is not a string', `      grafana: 12`, 'services.api.links.grafana: must be a URL template in quotes'],
    ['a bad link name', `      Grafana Board: 'https://grafana.example/'`, '`Grafana Board` must be a short lowercase name like `grafana` or `logs`'],
  ])('names the service and the field for %s, at its line', (_what, yaml, message) => {
    const text = problems(withLinks(yaml));
    expect(text).toContain(message);
    expect(text).toMatch(/^deckhand\.yaml:11:\d+: /m);
  });
});

describe('marker and trace settings from the environment', () => {
  it('reads Grafana, PagerDuty and OTLP settings, with PagerDuty\'s own URL by default', () => {
    const r = loadConfigText(withLinks(`      grafana: 'https://grafana.example/'`), 'deckhand.yaml', {
      GRAFANA_URL: 'https://grafana.example', GRAFANA_TOKEN: 'glsa_secret', PAGERDUTY_ROUTING_KEY: 'R0123456789abcdef0123456789abcde', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
    });
    if (!r.ok) throw new Error(formatConfigProblems(r.problems));
    expect(r.config.runtime).toMatchObject({
      grafana: { url: 'https://grafana.example', token: 'glsa_secret' },
      pagerduty: { routingKey: 'R0123456789abcdef0123456789abcde', eventsUrl: 'https://events.pagerduty.com' },
      otel: { endpoint: 'http://collector:4318', serviceName: 'deckhand' },
    });
  });

  it('wants GRAFANA_URL and GRAFANA_TOKEN together, and never echoes the token', () => {
    const text = problems(withLinks(`      grafana: 'https://grafana.example/'`), { GRAFANA_TOKEN: 'glsa_do_not_print' });
    expect(text).toContain('GRAFANA_URL and GRAFANA_TOKEN go together');
    expect(text).not.toContain('glsa_do_not_print');
    expect(problems(withLinks(`      grafana: 'https://grafana.example/'`), { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toContain('OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL');
  });
});
