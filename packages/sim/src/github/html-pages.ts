import type { SimCommit } from './repo-graph.ts';
import type { SimGitHubState, SimJob, SimRepo, SimRun } from './sim-state.ts';
import { pullConflicts, type SimPull } from './pull-requests.ts';
import { listDirectory } from './repo-tree.ts';

/** The prefix of every `html_url` the simulated GitHub hands out (the pages a person opens from a card). */
export const HTML_PREFIX = '/_html';

export interface HtmlPage {
  status: number;
  html: string;
}

/**
 * The web pages behind the simulated GitHub's `html_url`s — compare views, workflow runs and jobs, commits, the
 * repository — so the links on the sandbox's deploy cards open something instead of a 404. Plain, readable HTML
 * from the same state the REST API answers from; a run still going reloads itself every two seconds.
 */
export function renderHtmlPage(state: SimGitHubState, htmlBase: string, pathname: string): HtmlPage {
  const segments = pathname.slice(HTML_PREFIX.length).split('/').filter(Boolean).map((s) => decodeURIComponent(s));
  const [owner = '', name = '', section, id, sub, subId] = segments;
  const repo = state.repo(owner, name);
  if (segments.length === 1) return page(200, owner, `<h1>${esc(owner)}</h1><p>A user of the simulated GitHub.</p>`);
  if (!repo) return notFound(pathname);
  const link = (path: string) => `${htmlBase}/${repo.fullName}${path}`;
  if (section === undefined) return repoPage(state, repo, link);
  if (section === 'compare' && id !== undefined) return comparePage(repo, segments.slice(3).join('/'), link);
  if (section === 'commit' && id !== undefined) {
    const sha = repo.graph.resolve(id);
    const commit = sha ? repo.graph.commits.get(sha) : undefined;
    return commit ? commitPage(repo, commit, link) : notFound(pathname);
  }
  if (section === 'pull' && id !== undefined) {
    const pull = repo.pulls.find((p) => String(p.number) === id.replace(/\.(diff|patch)$/, ''));
    return pull ? pullPage(repo, pull, link) : notFound(pathname);
  }
  if ((section === 'blob' || section === 'tree' || section === 'raw') && id !== undefined) return filePage(repo, section, id, segments.slice(4).join('/'), link);
  if (section === 'actions' && id === 'runs' && sub !== undefined) {
    const run = state.runs.get(Number(sub));
    if (!run || run.repo !== repo.fullName) return notFound(pathname);
    const job = subId === 'job' ? run.jobs.find((j) => String(j.id) === segments[6]) : undefined;
    if (subId !== undefined && (subId !== 'job' || !job)) return notFound(pathname);
    return runPage(run, job, link);
  }
  return notFound(pathname);
}

function repoPage(state: SimGitHubState, repo: SimRepo, link: (path: string) => string): HtmlPage {
  const tags = [...repo.graph.tags].reverse().map(([tag, sha]) => `<li><a href="${esc(link(`/commit/${sha}`))}">${esc(tag)}</a> <code>${esc(sha.slice(0, 7))}</code></li>`);
  const runs = [...state.runs.values()].filter((r) => r.repo === repo.fullName).sort((a, b) => b.id - a.id).slice(0, 20)
    .map((r) => `<li><a href="${esc(link(`/actions/runs/${r.id}`))}">build ${esc(r.headBranch)} #${r.runNumber}</a> ${badge(r.status, r.conclusion)}</li>`);
  return page(200, repo.fullName, `<h1>${esc(repo.fullName)}</h1><h2>Tags</h2><ul>${tags.join('') || '<li>none</li>'}</ul><h2>Workflow runs</h2><ul>${runs.join('') || '<li>none yet</li>'}</ul>`);
}

function comparePage(repo: SimRepo, basehead: string, link: (path: string) => string): HtmlPage {
  const [from = '', to = ''] = basehead.replace(/\.(diff|patch)$/, '').split('...');
  const fromSha = repo.graph.resolve(from);
  const toSha = repo.graph.resolve(to);
  const title = `Comparing ${from}...${to} · ${repo.fullName}`;
  if (!fromSha || !toSha) return page(404, title, `<h1>${esc(title)}</h1><p>There isn’t anything to compare: ${esc(!fromSha ? from : to)} is not a tag, branch or commit of ${esc(repo.fullName)}.</p>`);
  const ahead = repo.graph.between(fromSha, toSha);
  const behind = repo.graph.between(toSha, fromSha);
  const summary = ahead.length === 0 && behind.length === 0
    ? `${esc(from)} and ${esc(to)} are identical.`
    : `${esc(to)} is ${ahead.length} commit${ahead.length === 1 ? '' : 's'} ahead of ${esc(from)}${behind.length > 0 ? ` and ${behind.length} behind` : ''}.`;
  const rows = ahead.map((c) => commitRow(c, link)).join('');
  return page(200, title, `<h1>Comparing <code>${esc(from)}</code>...<code>${esc(to)}</code></h1><p>${summary}</p>${rows ? `<table><tr><th>Commit</th><th>Message</th><th>Author</th><th>Date</th></tr>${rows}</table>` : ''}`);
}

function commitRow(c: SimCommit, link: (path: string) => string): string {
  return `<tr><td><a href="${esc(link(`/commit/${c.sha}`))}"><code>${esc(c.sha.slice(0, 7))}</code></a></td><td>${esc(c.message.split('\n')[0] ?? '')}</td><td>${esc(c.author)}</td><td>${esc(c.date)}</td></tr>`;
}

function commitPage(repo: SimRepo, c: SimCommit, link: (path: string) => string): HtmlPage {
  const parents = c.parents.map((p) => `<a href="${esc(link(`/commit/${p}`))}"><code>${esc(p.slice(0, 7))}</code></a>`).join(' ');
  return page(200, `${c.message.split('\n')[0] ?? ''} · ${repo.fullName}@${c.sha.slice(0, 7)}`, `<h1>${esc(c.message.split('\n')[0] ?? '')}</h1><pre>${esc(c.message)}</pre><p>${esc(c.author)} committed ${esc(c.date)} · <code>${esc(c.sha)}</code></p><p>Parents: ${parents || 'none'}</p>`);
}

function runPage(run: SimRun, focus: SimJob | undefined, link: (path: string) => string): HtmlPage {
  const jobs = run.jobs.map((j) => `<tr${focus?.id === j.id ? ' class="focus"' : ''}><td><a href="${esc(link(`/actions/runs/${run.id}/job/${j.id}`))}">${esc(j.name)}</a></td><td>${badge(j.status, j.conclusion)}</td><td>${esc(j.startedAt ?? '')}</td><td>${esc(j.completedAt ?? '')}</td></tr>`).join('');
  const title = `build ${run.headBranch} · run #${run.runNumber} · ${run.repo}`;
  const body = `<h1>build ${esc(run.headBranch)} <small>#${run.runNumber}</small></h1>`
    + `<p>${badge(run.status, run.conclusion)} · workflow <code>${esc(run.workflow)}</code> · triggered by <code>${esc(run.event)}</code> at ${esc(run.createdAt)} · commit <a href="${esc(link(`/commit/${run.headSha}`))}"><code>${esc(run.headSha.slice(0, 7))}</code></a></p>`
    + `<table><tr><th>Job</th><th>Status</th><th>Started</th><th>Completed</th></tr>${jobs}</table>`
    + (run.status === 'completed' ? '' : '<p>This page reloads every 2 seconds until the run completes.</p>');
  return page(200, title, body, run.status === 'completed' ? undefined : 2);
}

function pullPage(repo: SimRepo, pull: SimPull, link: (path: string) => string): HtmlPage {
  const state = pull.merged ? 'merged' : pull.state;
  const headSha = pull.frozen?.headSha ?? repo.graph.branches.get(pull.head) ?? '';
  const baseSha = pull.frozen?.baseSha ?? repo.graph.branches.get(pull.base) ?? '';
  const conflicts = pull.state === 'open' ? pullConflicts(repo.graph, pull) : [];
  const mergeBase = repo.graph.mergeBase(headSha, baseSha) ?? baseSha;
  const rows = repo.graph.between(mergeBase, headSha).map((c) => commitRow(c, link)).join('');
  const merged = pull.mergeCommitSha ? ` as <a href="${esc(link(`/commit/${pull.mergeCommitSha}`))}"><code>${esc(pull.mergeCommitSha.slice(0, 7))}</code></a>` : '';
  const body = `<h1>${esc(pull.title)} <small>#${pull.number}</small></h1>`
    + `<p>${badge(state === 'open' ? 'open' : 'completed', state === 'merged' ? 'success' : state === 'closed' ? 'cancelled' : null)} ${esc(pull.author)} wants to merge <code>${esc(pull.head)}</code> into <code>${esc(pull.base)}</code>${merged}</p>`
    + `<pre>${esc(pull.body)}</pre>`
    + (conflicts.length > 0 ? `<p>This branch has conflicts that must be resolved: ${conflicts.map((c) => `<code>${esc(c)}</code>`).join(', ')}</p>` : '')
    + (rows ? `<table><tr><th>Commit</th><th>Message</th><th>Author</th><th>Date</th></tr>${rows}</table>` : '');
  return page(200, `${pull.title} · Pull Request #${pull.number} · ${repo.fullName}`, body);
}

/** A file (or a directory listing) at a ref: what a commit's "view file" link shows. */
function filePage(repo: SimRepo, section: string, ref: string, path: string, link: (path: string) => string): HtmlPage {
  const sha = repo.graph.resolve(ref);
  if (!sha) return notFound(`/${repo.fullName}/${section}/${ref}/${path}`);
  const tree = repo.graph.treeOf(sha);
  const bytes = tree.get(path);
  const title = `${path || repo.fullName} at ${ref} · ${repo.fullName}`;
  if (bytes) return page(200, title, `<h1><code>${esc(path)}</code> at <code>${esc(ref)}</code></h1><pre>${esc(bytes.toString('utf8'))}</pre>`);
  const entries = listDirectory(tree, path);
  if (!entries) return notFound(`/${repo.fullName}/${section}/${ref}/${path}`);
  const items = entries.map((e) => `<li><a href="${esc(link(`/${e.type === 'dir' ? 'tree' : 'blob'}/${ref}/${e.path}`))}">${esc(e.name)}${e.type === 'dir' ? '/' : ''}</a></li>`).join('');
  return page(200, title, `<h1><code>${esc(path || '/')}</code> at <code>${esc(ref)}</code></h1><ul>${items}</ul>`);
}

function badge(status: string, conclusion: string | null): string {
  const text = status === 'completed' ? conclusion ?? 'completed' : status.replace('_', ' ');
  const colour = conclusion === 'success' ? '#1a7f37' : conclusion === 'failure' || conclusion === 'cancelled' ? '#cf222e' : '#9a6700';
  return `<span class="badge" style="background:${colour}">${esc(text)}</span>`;
}

function notFound(pathname: string): HtmlPage {
  return page(404, 'Page not found', `<h1>404</h1><p>The simulated GitHub has no page at <code>${esc(pathname)}</code>.</p>`);
}

function page(status: number, title: string, body: string, refreshSeconds?: number): HtmlPage {
  const refresh = refreshSeconds === undefined ? '' : `<meta http-equiv="refresh" content="${refreshSeconds}">`;
  const style = 'body{font:14px/1.5 system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#1f2328}'
    + 'table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #d0d7de;padding:4px 8px;text-align:left}'
    + '.badge{color:#fff;border-radius:1em;padding:0 .6em}.focus{background:#fff8c5}.sim{color:#59636e;font-size:12px}';
  return {
    status,
    html: `<!doctype html><html lang="en"><head><meta charset="utf-8">${refresh}<title>${esc(title)}</title><style>${style}</style></head>`
      + `<body>${body}<p class="sim">Simulated GitHub (Deckhand sandbox)</p></body></html>`,
  };
}

/** Every value from the state (commit messages, branch names) goes through here before it reaches a page. */
function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
