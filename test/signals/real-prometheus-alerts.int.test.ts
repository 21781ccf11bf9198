import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimCluster, type SimCluster } from '@deckhand/sim/kube';
import { startFileSdWriter, startSimPrometheus, HEALTHY, type FileSdWriter, type SimPrometheus } from '@deckhand/sim/prometheus';
import { parseAlertmanager } from '../../src/signals/index.ts';
import { alertRulesFromConfig } from '../../src/sandbox/alert-rules.ts';
import { spawnAlertmanager, type SpawnedAlertmanager } from '../../src/sandbox/alertmanager-server.ts';
import { isInstalled } from '../../src/sandbox/is-installed.ts';
import { spawnPrometheus, type SpawnedPrometheus } from '../../src/sandbox/prometheus-server.ts';

/**
 * The sandbox's alerting chain, all real but Deckhand: Debian's `prometheus` evaluates the sandbox's alert rules over
 * the simulated pods' metrics and sends the firing alert to Debian's `prometheus-alertmanager`, which notifies a local
 * webhook receiver with its version 4 payload, bearer token and all — the payload Deckhand's own parser reads.
 */
const installed = isInstalled('prometheus') && isInstalled('prometheus-alertmanager');
const TOKEN = 'sandbox-token-0123456789abcdef';
const IMAGE = 'registry.local/acme';

describe.skipIf(!installed)('Prometheus alert rules → a real Alertmanager → the webhook (needs `prometheus` and `prometheus-alertmanager`: apt-get install them)', () => {
  let sim: SimCluster;
  let pods: SimPrometheus;
  let prometheus: SpawnedPrometheus;
  let alertmanager: SpawnedAlertmanager;
  let writer: FileSdWriter;
  let receiver: Server;
  const received: { authorization?: string; body: string }[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
      req.on('end', () => { received.push({ authorization: req.headers.authorization, body }); res.writeHead(200).end('{}'); });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/alertmanager/webhook`;
    sim = await startSimCluster({
      seed: [
        { namespace: 'staging', name: 'pay', container: 'pay', image: `${IMAGE}/pay:v2.0.0`, replicas: 2, labels: { app: 'pay' } },
        { namespace: 'staging', name: 'api', container: 'api', image: `${IMAGE}/api:v1.4.0`, replicas: 2, labels: { app: 'api' } },
      ],
    });
    const services = ['pay', 'api'].map((name) => ({ service: name, namespace: 'staging', kubeService: name }));
    pods = await startSimPrometheus({ kubeUrl: sim.url, services, profileOf: (image) => ({ ...HEALTHY, ...(image.endsWith('/pay:v2.0.0') && { errorRate: 0.08 }) }), requestsPerSecond: 100 });
    alertmanager = await spawnAlertmanager({ webhookUrl, bearerToken: TOKEN });
    const catalog = { services: { pay: { environments: { staging: { namespace: 'staging' } } }, api: { environments: { staging: { namespace: 'staging' } } } } };
    prometheus = await spawnPrometheus({ intervalMs: 1000, rules: { 'alerts.yml': alertRulesFromConfig(catalog) }, alertmanagerUrl: alertmanager.url });
    writer = await startFileSdWriter({ path: prometheus.targetsFile, targets: () => pods.scrapeTargets(), intervalMs: 200 });
  });
  afterAll(async () => {
    writer?.stop();
    await prometheus?.stop();
    await alertmanager?.stop();
    await pods?.close();
    await sim?.close();
    await new Promise((r) => receiver?.close(r));
  });

  it('fires HighErrorRate for the version answering 8% 5xx, and Alertmanager delivers it with the bearer token', async () => {
    const deadline = Date.now() + 28_000;
    while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(received.length).toBeGreaterThan(0);
    const first = received[0]!;
    expect(first.authorization).toBe(`Bearer ${TOKEN}`);
    const payload = JSON.parse(first.body) as { version: string; status: string; receiver: string };
    expect(payload).toMatchObject({ version: '4', status: 'firing', receiver: 'deckhand' });
    const parsed = parseAlertmanager(first.body);
    if (!parsed.ok) throw new Error(parsed.problem);
    expect(parsed.signals).toHaveLength(1);
    const [signal] = parsed.signals;
    expect(signal).toMatchObject({ source: 'alertmanager', status: 'firing', name: 'HighErrorRate' });
    expect(signal!.labels).toMatchObject({ service: 'pay', env: 'staging', namespace: 'staging', version: 'v2.0.0', severity: 'page' });
    expect(signal!.summary).toMatch(/^pay v2\.0\.0 in staging answers [\d.]+% 5xx$/);
    // The link on the card opens the rule's expression in this Prometheus.
    expect(signal!.url).toMatch(new RegExp(`^${prometheus.url}/graph\\?g0\\.expr=`));
  });

  it('raises nothing for the healthy service', async () => {
    const alerts = await (await fetch(`${prometheus.url}/api/v1/alerts`)).json() as { data: { alerts: { labels: Record<string, string>; state: string }[] } };
    expect(alerts.data.alerts.map((a) => a.labels.service)).not.toContain('api');
    expect(received.flatMap((r) => (JSON.parse(r.body) as { alerts: { labels: Record<string, string> }[] }).alerts.map((a) => a.labels.service))).not.toContain('api');
  });
});
