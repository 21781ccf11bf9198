import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimGitHub, type SimGitHub } from '../../src/github/index.ts';

describe('the simulated GitHub speaks the REST wire format', () => {
  let sim: SimGitHub;
  let hook: Server | undefined;
  afterEach(async () => {
    await sim.close();
    if (hook) await new Promise((r) => hook?.close(r));
    hook = undefined;
  });

  it('answers a repeated GET with the same ETag with 304 and no body, and counts only full answers', async () => {
    sim = await startSimGitHub();
    const first = await fetch(`${sim.url}/repos/acme/api/tags`);
    const etag = first.headers.get('etag') ?? '';
    const remaining = Number(first.headers.get('x-ratelimit-remaining'));

    const second = await fetch(`${sim.url}/repos/acme/api/tags`, { headers: { 'if-none-match': etag } });
    const third = await fetch(`${sim.url}/repos/acme/api/tags`);

    expect(first.status).toBe(200);
    expect(etag).toMatch(/^W\/"[0-9a-f]{40}"$/);
    expect(second.status).toBe(304);
    expect(await second.text()).toBe('');
    expect(Number(third.headers.get('x-ratelimit-remaining'))).toBe(remaining - 1);
  });

  it('pages lists with a Link header', async () => {
    sim = await startSimGitHub();
    const res = await fetch(`${sim.url}/repos/acme/api/tags?per_page=4`);
    expect(((await res.json()) as unknown[]).length).toBe(4);
    expect(res.headers.get('link')).toBe(`<${sim.url}/repos/acme/api/tags?per_page=4&page=2>; rel="next", <${sim.url}/repos/acme/api/tags?per_page=4&page=2>; rel="last"`);
  });

  it('plays a build queued → in_progress → completed, pushes its image, and delivers signed workflow_run events', async () => {
    const received: { signature: string; body: string; event: string }[] = [];
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
      req.on('end', () => {
        received.push({ signature: String(req.headers['x-hub-signature-256']), body, event: String(req.headers['x-github-event']) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hook?.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    sim = await startSimGitHub({ buildDelayMs: 200, webhook: { url, secret: 'shh' } });

    const dispatch = await fetch(`${sim.url}/repos/acme/api/actions/workflows/build.yml/dispatches`, { method: 'POST', body: JSON.stringify({ ref: 'v1.5.3', return_run_details: true }) });
    const { workflow_run_id: id } = await dispatch.json() as { workflow_run_id: number };
    await new Promise((r) => setTimeout(r, 400));
    const run = await (await fetch(`${sim.url}/repos/acme/api/actions/runs/${id}`)).json() as { status: string; conclusion: string; head_branch: string; event: string };
    const image = await fetch(`${sim.url}/v2/acme/api/manifests/v1.5.3`, { method: 'HEAD' });

    expect(run).toMatchObject({ status: 'completed', conclusion: 'success', head_branch: 'v1.5.3', event: 'workflow_dispatch' });
    expect(image.status).toBe(200);
    expect(image.headers.get('docker-content-digest')).toMatch(/^sha256:/);
    expect(received.map((r) => (JSON.parse(r.body) as { action: string }).action)).toEqual(['requested', 'in_progress', 'completed']);
    for (const r of received) {
      expect(r.event).toBe('workflow_run');
      expect(r.signature).toBe(`sha256=${createHmac('sha256', 'shh').update(r.body).digest('hex')}`);
    }
  });

  it('refuses a dispatch or deployment at a ref that does not exist with 422', async () => {
    sim = await startSimGitHub();
    const dispatch = await fetch(`${sim.url}/repos/acme/api/actions/workflows/build.yml/dispatches`, { method: 'POST', body: JSON.stringify({ ref: 'v9' }) });
    const deployment = await fetch(`${sim.url}/repos/acme/api/deployments`, { method: 'POST', body: JSON.stringify({ ref: 'v9', environment: 'staging' }) });
    expect([dispatch.status, deployment.status]).toEqual([422, 422]);
  });

  it('answers 429 with Retry-After when switched on, then serves again', async () => {
    sim = await startSimGitHub();
    sim.rateLimit({ count: 1, retryAfterSec: 3 });
    const limited = await fetch(`${sim.url}/repos/acme/api/tags`);
    const after = await fetch(`${sim.url}/repos/acme/api/tags`);
    expect([limited.status, limited.headers.get('retry-after'), after.status]).toEqual([429, '3', 200]);
  });

  it('challenges for registry credentials with the Docker token flow', async () => {
    sim = await startSimGitHub({ registryAuth: { kind: 'bearer', username: 'u', password: 'p' } });
    const res = await fetch(`${sim.url}/v2/acme/api/manifests/v1.5.0`, { method: 'HEAD' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(`Bearer realm="${sim.url}/token",service="sim-registry",scope="repository:acme/api:pull"`);
  });
});
