import { afterEach, describe, expect, it } from 'vitest';
import { startSimGitHub, type SimGitHub } from '../../src/github/index.ts';

describe('the simulated GitHub serves the pages its html_urls point at', () => {
  let sim: SimGitHub;
  afterEach(async () => {
    await sim.close();
  });

  it('a compare view lists the commits between two tags, escaped', async () => {
    sim = await startSimGitHub({
      repos: [{ fullName: 'acme/api', built: ['v1'], history: [{ kind: 'tag', name: 'v1' }, { kind: 'commit', message: 'fix: <script>alert(1)</script> & more (#2)', author: 'dave' }, { kind: 'commit', message: 'feat: refunds (#3)' }, { kind: 'tag', name: 'v2' }] }],
    });
    const compare = await (await fetch(`${sim.url}/repos/acme/api/compare/v1...v2`)).json() as { html_url: string; commits: Array<{ html_url: string }> };
    const page = await fetch(compare.html_url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    expect(html).toContain('<p>v2 is 2 commits ahead of v1.</p>');
    expect(html).toContain('fix: &lt;script&gt;alert(1)&lt;/script&gt; &amp; more (#2)');
    expect(html).not.toContain('<script>');
    expect(html).toContain('feat: refunds (#3)');
    const commitPage = await fetch(compare.commits[0]?.html_url ?? '');
    expect(commitPage.status).toBe(200);
    expect(await commitPage.text()).toContain('dave committed');
  });

  it('a workflow run page shows the run and its jobs, reloading until it completes', async () => {
    sim = await startSimGitHub({ buildDelayMs: 200 });
    const dispatch = await (await fetch(`${sim.url}/repos/acme/api/actions/workflows/build.yml/dispatches`, { method: 'POST', body: JSON.stringify({ ref: 'v1.5.3', return_run_details: true }) })).json() as { html_url: string };
    const running = await fetch(dispatch.html_url);
    expect(running.status).toBe(200);
    const runningHtml = await running.text();
    expect(runningHtml).toContain('build v1.5.3');
    expect(runningHtml).toContain('<meta http-equiv="refresh" content="2">');
    let done = runningHtml;
    for (const deadline = Date.now() + 10_000; done.includes('http-equiv="refresh"') && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      done = await (await fetch(dispatch.html_url)).text();
    }
    expect(done).toMatch(/<p><span class="badge" style="background:#1a7f37">success<\/span>/);
    expect(done).toContain('build and push image');
    expect(done).not.toContain('http-equiv="refresh"');
    const repoPage = await fetch(dispatch.html_url.replace(/\/actions\/runs\/\d+$/, ''));
    expect(repoPage.status).toBe(200);
    expect(await repoPage.text()).toContain('v1.5.3');
  });

  it('answers 404 pages for what does not exist, without touching the API rate limit', async () => {
    sim = await startSimGitHub();
    const before = Number((await fetch(`${sim.url}/repos/acme/api/tags`)).headers.get('x-ratelimit-remaining'));
    expect((await fetch(`${sim.url}/_html/acme/api/actions/runs/999999`)).status).toBe(404);
    expect((await fetch(`${sim.url}/_html/acme/nope/compare/a...b`)).status).toBe(404);
    expect((await fetch(`${sim.url}/_html/acme/api/compare/v0...v1.5.0`)).status).toBe(404);
    const after = Number((await fetch(`${sim.url}/repos/acme/api/tags`)).headers.get('x-ratelimit-remaining'));
    expect(after).toBe(before - 1);
  });
});
