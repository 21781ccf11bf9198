import type { SimCommit } from '../github/repo-graph.ts';
import type { SimGitLabState, SimPipeline, SimProject } from './sim-gitlab-state.ts';

export interface HtmlPage {
  status: number;
  html: string;
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function page(status: number, title: string, body: string, reload = false): HtmlPage {
  const refresh = reload ? '<meta http-equiv="refresh" content="2">' : '';
  return { status, html: `<!doctype html><html><head><meta charset="utf-8">${refresh}<title>${esc(title)} · simulated GitLab</title></head><body>${body}</body></html>` };
}

const commitLine = (web: string, p: SimProject, c: SimCommit): string =>
  `<li><a href="${esc(`${web}/${p.path}/-/commit/${c.sha}`)}"><code>${esc(c.sha.slice(0, 8))}</code></a> ${esc(c.message.split('\n')[0] ?? '')} — ${esc(c.author)}</li>`;

function pipelinePage(web: string, p: SimProject, pl: SimPipeline): HtmlPage {
  const finished = pl.status === 'success' || pl.status === 'failed' || pl.status === 'canceled';
  const jobs = pl.jobs.map((j) => `<li>${esc(j.stage)} / ${esc(j.name)}: <strong>${esc(j.status)}</strong></li>`).join('');
  return page(200, `Pipeline #${pl.id}`, `<h1>Pipeline #${pl.id} · ${esc(p.path)}</h1><p>For <code>${esc(pl.ref)}</code>: <strong>${esc(pl.status)}</strong></p><ul>${jobs}</ul>`, !finished);
}

/**
 * The web pages behind the simulated GitLab's `web_url`s — pipelines, compare views, commits, merge requests, the
 * project — so the links on the sandbox's cards open something. Everything from the state is HTML-escaped; a
 * pipeline still going reloads itself every two seconds. Undefined when the path is not one of them.
 */
export function renderGitLabPage(state: SimGitLabState, web: string, pathname: string): HtmlPage | undefined {
  const raw = pathname.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
  const dash = raw.indexOf('-');
  const projectPath = (dash < 0 ? raw : raw.slice(0, dash)).join('/');
  const p = projectPath.includes('/') ? state.project(projectPath) : undefined;
  if (!p) return undefined;
  const [section, ...rest] = dash < 0 ? [] : raw.slice(dash + 1);
  const id = rest.join('/');
  if (section === undefined) {
    const tags = [...p.graph.tags.keys()].reverse().map((t) => `<li><code>${esc(t)}</code></li>`).join('');
    const pipelines = [...state.pipelines.values()].filter((x) => x.projectId === p.id).reverse()
      .map((x) => `<li><a href="${esc(`${web}/${p.path}/-/pipelines/${x.id}`)}">#${x.id}</a> ${esc(x.ref)}: ${esc(x.status)}</li>`).join('');
    return page(200, p.path, `<h1>${esc(p.path)}</h1><h2>Tags</h2><ul>${tags}</ul><h2>Pipelines</h2><ul>${pipelines || '<li>none yet</li>'}</ul>`);
  }
  if (section === 'pipelines') {
    const pl = state.pipelines.get(Number(id));
    return pl && pl.projectId === p.id ? pipelinePage(web, p, pl) : page(404, 'Not found', '<h1>404</h1>');
  }
  if (section === 'compare') {
    const [from = '', to = ''] = id.split('...');
    const a = p.graph.resolve(from);
    const b = p.graph.resolve(to);
    if (!a || !b) return page(404, 'Not found', '<h1>404</h1>');
    const commits = p.graph.between(a, b);
    return page(200, `${from}...${to}`, `<h1>${esc(p.path)}: ${esc(from)}...${esc(to)}</h1><p>${commits.length} commit${commits.length === 1 ? '' : 's'}</p><ul>${commits.map((c) => commitLine(web, p, c)).join('')}</ul>`);
  }
  if (section === 'commit') {
    const sha = p.graph.resolve(id);
    const c = sha ? p.graph.commits.get(sha) : undefined;
    return c ? page(200, c.sha.slice(0, 8), `<h1>${esc(c.message.split('\n')[0] ?? '')}</h1><p>${esc(c.author)} committed <code>${esc(c.sha)}</code></p><pre>${esc(c.message)}</pre>`) : page(404, 'Not found', '<h1>404</h1>');
  }
  if (section === 'merge_requests') {
    const mr = p.mergeRequests.find((m) => m.iid === Number(id));
    return mr ? page(200, `!${mr.iid}`, `<h1>${esc(mr.title)} !${mr.iid}</h1><p>Merged by ${esc(mr.author)} from <code>${esc(mr.sourceBranch)}</code></p>`) : page(404, 'Not found', '<h1>404</h1>');
  }
  return page(404, 'Not found', '<h1>404</h1>');
}
