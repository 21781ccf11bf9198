/** The error ratio above which the sandbox's alert fires: well above a healthy version's 0.1%, below a bad one's 8%. */
export const ALERT_ERROR_RATIO = 0.05;

/**
 * Prometheus alerting rules for the sandbox: one `HighErrorRate` alert per service and environment, firing when a
 * version's 5xx ratio over the last 15 s stays above 5% for 2 s. Its labels name the service and environment the
 * way Deckhand's catalog does (`service`, `env`; plus `namespace`, `version`, `severity`), so the Alertmanager
 * webhook can match the deploy; the summary says which version and how bad. JSON, which Prometheus reads as YAML.
 */
export function alertRulesFromConfig(config: { services: Record<string, { environments: Record<string, { namespace: string }> }> }): string {
  const rules = Object.entries(config.services).flatMap(([service, svc]) => Object.entries(svc.environments).map(([env, e]) => {
    const sel = `namespace="${e.namespace}",service="${service}"`;
    const by = 'sum by (namespace, service, version)';
    return {
      alert: 'HighErrorRate',
      expr: `${by} (rate(http_requests_total{${sel},code=~"5.."}[15s])) / ${by} (rate(http_requests_total{${sel}}[15s])) > ${ALERT_ERROR_RATIO}`,
      for: '2s',
      labels: { severity: 'page', service, env },
      annotations: {
        summary: `${service} {{ $labels.version }} in ${env} answers {{ $value | humanizePercentage }} 5xx`,
        description: `More than ${ALERT_ERROR_RATIO * 100}% of ${service}'s requests in ${env} fail with a 5xx.`,
      },
    };
  }));
  return `${JSON.stringify({ groups: [{ name: 'deckhand-sandbox', interval: '1s', rules }] }, null, 2)}\n`;
}
