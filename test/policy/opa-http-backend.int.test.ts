import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedBackend, createOpaHttpBackend, readPolicyDir, serveDataApi, type PolicyInput } from '../../src/policy/index.ts';
import { fromJSON } from '../../src/rego/index.ts';
import { isDeckhandError } from '../../src/errors.ts';

const input: PolicyInput = {
  action: 'deploy',
  request: { service: 'api', env: 'production', version: 'v1.5.0', strategy: 'rolling', dry_run: false },
  requester: { id: 'alice', name: 'alice', groups: ['payments'] },
  service: { name: 'api', team: 'payments', environments: ['staging', 'production'] },
  approvals: [{ id: 'bob', name: 'bob', groups: ['approvers'] }],
  freezes: [],
  now: '2026-11-18T10:00:00Z',
};

describe('OPA Data API: `deckhand policy serve` and the OPA client backend over real HTTP', () => {
  let server: Server;
  let url: string;
  const bundleP = readPolicyDir('policies');

  beforeAll(async () => {
    const bundle = await bundleP;
    server = await serveDataApi(createEmbeddedBackend(bundle).policy, fromJSON(bundle.data), 0);
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('answers the same decision as the embedded engine', async () => {
    const remote = await createOpaHttpBackend(url).decide(input);
    const local = await createEmbeddedBackend(await bundleP).decide(input);
    expect(remote).toEqual(local);
    expect(remote.allow).toBe(true);
  });

  it('speaks the Data API wire format: POST with {"input"}, {"result"} back, {} when undefined', async () => {
    const res = await fetch(`${url}/v1/data/deckhand/deploy/approvals_met`, { method: 'POST', body: JSON.stringify({ input }) });
    expect(await res.json()).toEqual({ result: true });
    const undef = await fetch(`${url}/v1/data/deckhand/nothing/here`, { method: 'POST', body: JSON.stringify({ input }) });
    expect(await undef.json()).toEqual({});
    expect((await fetch(`${url}/v1/data/x`, { method: 'POST', body: 'not json' })).status).toBe(400);
  });

  it('fails closed with a clear message when the server does not answer in time', async () => {
    const silent = createServer(() => { /* never answers */ });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const backend = createOpaHttpBackend(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`, 200);
    const err = await backend.decide(input).catch((e: unknown) => e);
    expect(isDeckhandError(err, 'policy_backend_unavailable')).toBe(true);
    expect((err as { userMessage: string }).userMessage).toContain('no answer within 200 ms');
    silent.closeAllConnections();
    await new Promise<void>((r) => silent.close(() => r()));
  });

  it('fails closed when the server answers with an error status', async () => {
    const wrongBase = createOpaHttpBackend(`${url}/nowhere`);
    expect(isDeckhandError(await wrongBase.decide(input).catch((e: unknown) => e), 'policy_backend_unavailable')).toBe(true);
  });
});
