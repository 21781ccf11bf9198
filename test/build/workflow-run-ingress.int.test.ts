import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpServer, type HttpServer } from '../../src/http/index.ts';
import { createWorkflowRunIngress } from '../../src/release-wiring.ts';
import { startWorld, type World } from '../helpers/world.ts';

const SECRET = 'workflow-run-webhook-secret';

function sign(body: string, secret = SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

describe('the workflow_run webhook on the HTTP server', () => {
  let world: World;
  let http: HttpServer;
  let url: string;
  beforeEach(async () => {
    world = await startWorld({ github: true });
    http = createHttpServer();
    http.mount('/github/webhook', createWorkflowRunIngress({ secret: SECRET, config: world.config, deploys: world.app.deploys, locks: world.app.locks, queue: world.app.queue }));
    await http.listen(0);
    url = `http://127.0.0.1:${(http.server.address() as AddressInfo).port}/github/webhook`;
  });
  afterEach(async () => {
    await http.close({ timeoutMs: 1000 });
    await world.stop();
  });

  it('refuses a delivery with a bad signature and changes nothing', async () => {
    const body = JSON.stringify({ action: 'completed', workflow_run: { id: 1, status: 'completed', conclusion: 'success' }, repository: { full_name: 'acme/api' } });
    const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-github-event': 'workflow_run', 'x-github-delivery': 'd1', 'x-hub-signature-256': sign(body, 'wrong-secret') } });
    expect(res.status).toBe(401);
  });

  it('accepts a signed delivery nobody is waiting for, waking nothing', async () => {
    const body = JSON.stringify({ action: 'completed', workflow_run: { id: 99, status: 'completed', conclusion: 'success', head_branch: 'v9.9.9' }, repository: { full_name: 'acme/api' } });
    const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-github-event': 'workflow_run', 'x-github-delivery': 'd2', 'x-hub-signature-256': sign(body) } });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ woken: [] });
  });
});
