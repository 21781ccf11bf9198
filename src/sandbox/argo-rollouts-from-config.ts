import type { Config } from '../config/index.ts';

type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace: string; labels?: Record<string, string> }; spec: Record<string, unknown> };

const HTTP_PORTS = [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }];

/**
 * What a team running Argo Rollouts with Istio would have applied for each environment the config delivers through
 * Argo Rollouts: the stable and canary Services, a VirtualService splitting their traffic by host, an AnalysisTemplate
 * on the service's 5xx ratio (in the simulated Prometheus), and the Rollout itself at the sandbox's running version.
 * Its steps: 20% → analysis → a pause for a person (Promote) → 60% for 5 s → 100%. A version whose 5xx ratio is
 * high fails the analysis, and Argo Rollouts aborts it.
 */
export function argoRolloutsManifestsFromConfig(config: Pick<Config, 'services' | 'sandbox'>): Manifest[] {
  return Object.entries(config.services).flatMap(([name, s]) => Object.values(s.environments).flatMap((e) => {
    if (e.delivery.kind !== 'argo-rollouts') return [];
    const running = config.sandbox?.services[name]?.running;
    if (running === undefined) return [];
    const rollout = e.delivery.rollout ?? e.deployment;
    const ns = e.namespace;
    const stable = e.deployment;
    const canary = `${e.deployment}-canary`;
    const labels = { app: rollout };
    const service = (svcName: string): Manifest => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: svcName, namespace: ns, labels }, spec: { selector: labels, ports: HTTP_PORTS } });
    const selector = `namespace="${ns}",service="${name}"`;
    return [
      service(stable), service(canary),
      {
        apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: rollout, namespace: ns },
        spec: { hosts: [stable], http: [{ name: 'primary', route: [{ destination: { host: stable }, weight: 100 }, { destination: { host: canary }, weight: 0 }] }] },
      },
      {
        apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata: { name: `${rollout}-error-rate`, namespace: ns },
        spec: {
          metrics: [{
            name: 'error-rate', interval: '2s', count: 2, failureLimit: 0, successCondition: 'result[0] < 0.05',
            provider: { prometheus: { address: 'http://prometheus.monitoring:9090', query: `sum(rate(http_requests_total{${selector},code=~"5.."}[1m])) / sum(rate(http_requests_total{${selector}}[1m]))` } },
          }],
        },
      },
      {
        apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: rollout, namespace: ns, labels },
        spec: {
          replicas: e.replicas,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers: [{ name: e.container, image: `${s.image}:${running}`, ports: [{ name: 'http', containerPort: 8080 }] }] } },
          strategy: {
            canary: {
              canaryService: canary, stableService: stable,
              trafficRouting: { istio: { virtualService: { name: rollout, routes: ['primary'] } } },
              steps: [{ setWeight: 20 }, { analysis: { templates: [{ templateName: `${rollout}-error-rate` }] } }, { pause: {} }, { setWeight: 60 }, { pause: { duration: '5s' } }],
            },
          },
        },
      },
    ];
  }));
}
