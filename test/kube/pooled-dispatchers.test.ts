import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createKubeClient } from '../../src/kube/index.ts';
import { renderKubeconfig } from '@deckhand/sim/kube';

const deployment = {
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name: 'api', namespace: 'shop', uid: 'u1', generation: 1, resourceVersion: '7' },
  spec: { replicas: 1, selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'app', image: 'r/api:v1' }] } } },
  status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 },
};

let server: Server | undefined;
afterEach(async () => { server?.closeAllConnections(); await new Promise((r) => server?.close(r)); server = undefined; });

describe('connections to the API server', () => {
  it('are kept alive and reused across calls when the cluster has TLS settings (one pool, not one Agent per call)', async () => {
    let connections = 0;
    let requests = 0;
    server = createServer((_req, res) => {
      requests++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(deployment));
    });
    server.on('connection', () => { connections++; });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // The sim's kubeconfig sets insecure-skip-tls-verify: client-node then builds a dispatcher for every call.
    const kube = createKubeClient({ kubeconfigYaml: renderKubeconfig(url) });
    for (let i = 0; i < 20; i++) expect((await kube.readDeployment('shop', 'api')).images.app).toBe('r/api:v1');
    expect(requests).toBe(20);
    // undici may open a second socket while the first is still being released; it never opens one per call.
    expect(connections).toBeLessThanOrEqual(2);
  });
});
