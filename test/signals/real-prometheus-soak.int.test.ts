import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFileSdWriter, startSimPrometheus, type FileSdWriter, type SimPrometheus } from '@deckhand/sim/prometheus';
import { alertRulesFromConfig } from '../../src/sandbox/alert-rules.ts';
import { spawnAlertmanager, type SpawnedAlertmanager } from '../../src/sandbox/alertmanager-server.ts';
import { isInstalled } from '../../src/sandbox/is-installed.ts';
import { spawnPrometheus, type SpawnedPrometheus } from '../../src/sandbox/prometheus-server.ts';
import { freePort } from '../../src/sandbox/redis-server.ts';
import { simMetricsFromConfig } from '../../src/sandbox/sim-metrics-from-config.ts';
import { startWorld, worldConfig, type World } from '../helpers/world.ts';

/**
 * The whole loop with nothing simulated but the cluster and its pods: a release that is healthy until it takes all
 * the traffic (`failsAfter`) is rolled out and watched for its soak window; the real Prometheus scraping the pods
 * sees its 5xx ratio climb, its alert rule fires, the real Alertmanager posts it to Deckhand's
 * /alertmanager/webhook with the bearer token, and Deckhand rolls back to the previous version, still warm.
 * The analysis interval is longer than the test so that only the alert can decide.
 */
const installed = isInstalled('prometheus') && isInstalled('prometheus-alertmanager');
const TOKEN = 'soak-test-token-0123456789abcdef';
const CONFIG = `
services:
  shop:
    team: payments
    repository: acme/shop
    image: registry.local/acme/shop
    versionPattern: '^v\\d+\\.\\d+\\.\\d+$'
    environments:
      staging: { namespace: staging, deployment: shop, container: shop, replicas: 2, progressDeadlineSeconds: 10 }
    analysis: { interval: 60s, failureLimit: 1 }
    soak: 60s
groups:
  payments: [alice]
sandbox:
  readyDelayMs: 50
  requestsPerSecond: 100
  services:
    shop: { running: v3.0.0, versions: [v3.0.0, v3.1.0], profiles: { v3.1.0: { failsAfter: { after: 1s, errorRate: 0.3 } } } }
`;

describe.skipIf(!installed)('a real alert after promotion (needs `prometheus` and `prometheus-alertmanager`: apt-get install them)', () => {
  let world: World;
  let pods: SimPrometheus;
  let prometheus: SpawnedPrometheus;
  let alertmanager: SpawnedAlertmanager;
  let writer: FileSdWriter;

  beforeAll(async () => {
    const base = worldConfig(CONFIG);
    let kubeUrl = '';
    pods = await startSimPrometheus({ kubeUrl: () => kubeUrl, ...simMetricsFromConfig(base) });
    const port = await freePort();
    alertmanager = await spawnAlertmanager({ webhookUrl: `http://127.0.0.1:${port}/alertmanager/webhook`, bearerToken: TOKEN });
    prometheus = await spawnPrometheus({ intervalMs: 1000, rules: { 'alerts.yml': alertRulesFromConfig(base) }, alertmanagerUrl: alertmanager.url });
    world = await startWorld({
      config: worldConfig(CONFIG, { PROMETHEUS_URL: prometheus.url, ALERTMANAGER_TOKEN: TOKEN }),
      deckhand: { http: { port, host: '127.0.0.1' }, progressive: { podUrl: (ns, pod) => pods.podUrl(ns, pod), pollMs: 50 } },
    });
    kubeUrl = world.sim.url;
    writer = await startFileSdWriter({ path: prometheus.targetsFile, targets: () => pods.scrapeTargets(), intervalMs: 200 });
  });
  afterAll(async () => {
    writer?.stop();
    await world?.stop();
    await prometheus?.stop();
    await alertmanager?.stop();
    await pods?.close();
  });

  it('given a release that fails once it has all the traffic, when Prometheus\' alert fires during its soak, then Alertmanager\'s notification rolls it back to the warm previous version', async () => {
    await world.say('/deploy shop v3.1.0 to staging');
    await world.waitForPhase('1', 'watching', 15_000);

    const d = await world.waitForPhase('1', ['succeeded', 'failed', 'rolled_back', 'aborted'], 30_000);
    expect(d.phase).toBe('rolled_back');
    expect(d.summary).toMatch(/HighErrorRate/);
    expect(d.summary).toMatch(/shop v3\.1\.0 in staging answers [\d.]+% 5xx/);
    expect((await world.app.kube.readDeployment('staging', 'shop')).images.shop).toBe('registry.local/acme/shop:v3.0.0');
    await world.app.cards.flush();
    // The card links to the alert's source: the rule's expression in this Prometheus.
    expect(world.output()).toContain(`${prometheus.url}/graph?g0.expr=`);
  });
});
