import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimGitLab, type SimGitLab } from '../../src/gitlab/index.ts';

const TOKEN = 'glpat-sim-token';
const api = (sim: SimGitLab, path: string) => `${sim.url}/api/v4/projects/${encodeURIComponent('acme/billing')}${path}`;
const get = (sim: SimGitLab, path: string, token = TOKEN) => fetch(api(sim, path), { headers: { 'PRIVATE-TOKEN': token } });
const send = (sim: SimGitLab, method: string, path: string, body: unknown) => fetch(api(sim, path), { method, body: JSON.stringify(body), headers: { 'PRIVATE-TOKEN': TOKEN, 'content-type': 'application/json' } });

async function until<T>(read: () => T | undefined, timeoutMs = 5000): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; ; await new Promise((r) => setTimeout(r, 20))) {
    const v = read();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out');
  }
}

describe('the simulated GitLab speaks REST API v4', () => {
  let sim: SimGitLab;
  afterEach(async () => {
    await sim.close();
  });

  it('finds a project by its URL-encoded path and asks for PRIVATE-TOKEN', async () => {
    sim = await startSimGitLab({ token: TOKEN });
    const project = await (await get(sim, '')).json() as { id: number; path_with_namespace: string };
    expect(project.path_with_namespace).toBe('acme/billing');
    expect((await fetch(`${sim.url}/api/v4/projects/${project.id}`, { headers: { 'PRIVATE-TOKEN': TOKEN } })).status).toBe(200);
    const refused = await get(sim, '', 'wrong');
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ message: '401 Unauthorized' });
    expect((await fetch(`${sim.url}/api/v4/projects/${encodeURIComponent('acme/nope')}`, { headers: { 'PRIVATE-TOKEN': TOKEN } })).status).toBe(404);
  });

  it('pages tags newest first with GitLab\'s pagination headers and Link', async () => {
    sim = await startSimGitLab();
    const first = await get(sim, '/repository/tags?per_page=2');
    expect(first.headers.get('x-total')).toBe('4');
    expect(first.headers.get('x-total-pages')).toBe('2');
    expect(first.headers.get('x-next-page')).toBe('2');
    expect(first.headers.get('link')).toContain('rel="next"');
    expect((await first.json() as { name: string }[]).map((t) => t.name)).toEqual(['v3.2.0', 'v3.1.1']);
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')?.[1] ?? '';
    const second = await fetch(next);
    expect((await second.json() as { name: string }[]).map((t) => t.name)).toEqual(['v3.1.0', 'v3.0.0']);
    expect(second.headers.get('x-next-page')).toBe('');
    expect((await get(sim, '/repository/tags/v3.1.1')).status).toBe(200);
    expect(await (await get(sim, '/repository/tags/v9.9.9')).json()).toEqual({ message: '404 Tag Not Found' });
  });

  it('compares two tags oldest first and lists the merged merge requests that landed the commits', async () => {
    sim = await startSimGitLab();
    const cmp = await (await get(sim, '/repository/compare?from=v3.0.0&to=v3.1.0&straight=true')).json() as { commits: { id: string; title: string; parent_ids: string[] }[]; web_url: string };
    expect(cmp.commits.map((c) => c.title)).toEqual(['credit note model', 'credit note api', 'Merge pull request #4 from acme/credit-notes', 'fix: VAT rounding on credit notes (!5)', 'docs: billing runbook']);
    expect(cmp.web_url).toBe(`${sim.url}/acme/billing/-/compare/v3.0.0...v3.1.0`);
    const mrs = await (await get(sim, '/merge_requests?state=merged')).json() as { iid: number; title: string; merge_commit_sha: string | null; squash_commit_sha: string | null }[];
    const merge = mrs.find((m) => m.iid === 4);
    expect(merge?.title).toBe('feat: credit notes');
    expect(merge?.merge_commit_sha).toBe(cmp.commits[2]?.id);
    expect(mrs.find((m) => m.iid === 5)?.squash_commit_sha).toBe(cmp.commits[3]?.id);
  });

  it('runs a pipeline for a tag to success, pushes its image and sends Pipeline Hooks with X-Gitlab-Token', async () => {
    const received: { token?: string; event?: string; status: string }[] = [];
    const hook = createServer((req: IncomingMessage, res) => {
      let text = '';
      req.on('data', (c: Buffer) => { text += c.toString(); });
      req.on('end', () => {
        received.push({ token: req.headers['x-gitlab-token'] as string, event: req.headers['x-gitlab-event'] as string, status: (JSON.parse(text) as { object_attributes: { status: string } }).object_attributes.status });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const pushed: string[] = [];
    sim = await startSimGitLab({ buildDelayMs: 200, pushImage: (i) => pushed.push(i), webhook: { url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/`, token: 'hook-token' } });
    const created = await send(sim, 'POST', '/pipeline', { ref: 'v3.1.1', variables: [{ key: 'DEPLOY', value: 'v3.1.1' }] });
    expect(created.status).toBe(201);
    const pl = await created.json() as { id: number; status: string; web_url: string; source: string };
    expect(pl).toMatchObject({ status: 'created', source: 'api', web_url: `${sim.url}/acme/billing/-/pipelines/${pl.id}` });
    await until(() => (received.some((r) => r.status === 'success') ? true : undefined));
    const done = await (await get(sim, `/pipelines/${pl.id}`)).json() as { status: string };
    expect(done.status).toBe('success');
    expect(pushed).toEqual(['acme/billing:v3.1.1']);
    expect(received.every((r) => r.token === 'hook-token' && r.event === 'Pipeline Hook')).toBe(true);
    const jobs = await (await get(sim, `/pipelines/${pl.id}/jobs`)).json() as { name: string; status: string }[];
    expect(jobs.map((j) => [j.name, j.status])).toEqual([['test', 'success'], ['build-image', 'success']]);
    const found = await (await get(sim, '/pipelines?ref=v3.1.1&source=api&order_by=id&sort=desc')).json() as { id: number }[];
    expect(found.map((p) => p.id)).toEqual([pl.id]);
    hook.close();
  });

  it('fails the pipeline of a failing tag without pushing, and refuses a ref it does not have', async () => {
    sim = await startSimGitLab({ buildDelayMs: 100 });
    const pl = await (await send(sim, 'POST', '/pipeline', { ref: 'v3.2.0' })).json() as { id: number };
    await until(() => (sim.pipelinesOf('acme/billing')[0]?.status === 'failed' ? true : undefined));
    const jobs = await (await get(sim, `/pipelines/${pl.id}/jobs`)).json() as { name: string; status: string }[];
    expect(jobs.map((j) => j.status)).toEqual(['failed', 'skipped']);
    expect(sim.pushed).toEqual([]);
    expect((await send(sim, 'POST', '/pipeline', { ref: 'v9.9.9' })).status).toBe(400);
  });

  it('keeps deployments with GitLab\'s status transitions', async () => {
    sim = await startSimGitLab();
    const sha = (await (await get(sim, '/repository/tags/v3.1.0')).json() as { commit: { id: string } }).commit.id;
    const created = await send(sim, 'POST', '/deployments', { environment: 'staging', sha, ref: 'v3.1.0', tag: true, status: 'running' });
    expect(created.status).toBe(201);
    const dep = await created.json() as { id: number; status: string; environment: { name: string } };
    expect(dep).toMatchObject({ status: 'running', environment: { name: 'staging' } });
    expect((await send(sim, 'PUT', `/deployments/${dep.id}`, { status: 'success' })).status).toBe(200);
    expect((await send(sim, 'PUT', `/deployments/${dep.id}`, { status: 'running' })).status).toBe(400);
    const list = await (await get(sim, '/deployments?environment=staging&order_by=id&sort=desc')).json() as { id: number; status: string }[];
    expect(list).toMatchObject([{ id: dep.id, status: 'success' }]);
    expect(sim.deploymentsOf('acme/billing')[0]?.history).toEqual(['running', 'success']);
  });

  it('answers 429 with Retry-After on demand', async () => {
    sim = await startSimGitLab();
    sim.rateLimit({ count: 1, retryAfterSec: 7 });
    const limited = await get(sim, '/repository/tags');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect((await get(sim, '/repository/tags')).status).toBe(200);
  });
});

describe('the simulated GitLab serves the pages its web_urls point at', () => {
  let sim: SimGitLab;
  afterEach(async () => {
    await sim.close();
  });

  it('a pipeline page shows its jobs and reloads until it finishes; a compare page lists the commits, escaped', async () => {
    sim = await startSimGitLab({
      token: TOKEN, buildDelayMs: 100,
      projects: [{ path: 'acme/billing', history: [{ kind: 'tag', name: 'v1' }, { kind: 'commit', message: 'fix: <b>bold</b> & more (!2)' }, { kind: 'tag', name: 'v2' }] }],
    });
    const pl = await (await send(sim, 'POST', '/pipeline', { ref: 'v2' })).json() as { web_url: string };
    const running = await fetch(pl.web_url);
    expect(running.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await running.text()).toContain('http-equiv="refresh"');
    await until(() => (sim.pipelinesOf('acme/billing')[0]?.status === 'success' ? true : undefined));
    const done = await (await fetch(pl.web_url)).text();
    expect(done).not.toContain('http-equiv="refresh"');
    expect(done).toContain('build / build-image: <strong>success</strong>');
    const cmp = await (await get(sim, '/repository/compare?from=v1&to=v2')).json() as { web_url: string };
    const html = await (await fetch(cmp.web_url)).text();
    expect(html).toContain('fix: &lt;b&gt;bold&lt;/b&gt; &amp; more (!2)');
    expect(html).not.toContain('<b>bold');
  });
});
