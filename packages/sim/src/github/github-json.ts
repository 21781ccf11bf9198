import type { SimCommit } from './repo-graph.ts';
import type { SimDeployment, SimDeploymentStatus, SimJob, SimRun } from './sim-state.ts';

/**
 * The REST wire shapes the simulated GitHub answers with, trimmed to the fields clients commonly read but named
 * and nested exactly as api.github.com does.
 */
export interface JsonBase {
  /** The API root, e.g. `http://127.0.0.1:4010`. */
  api: string;
  /** Where "people" links point (html_url); html-pages.ts serves them. */
  html: string;
}

const user = (b: JsonBase, login: string) => ({ login, id: login.length * 7919, type: login.endsWith('[bot]') ? 'Bot' : 'User', url: `${b.api}/users/${login}`, html_url: `${b.html}/${login}` });

export function repoJson(b: JsonBase, fullName: string) {
  const [owner = ''] = fullName.split('/');
  return { id: fullName.length * 104729, name: fullName.split('/')[1], full_name: fullName, private: true, owner: user(b, owner), html_url: `${b.html}/${fullName}`, url: `${b.api}/repos/${fullName}` };
}

export function commitJson(b: JsonBase, repo: string, c: SimCommit) {
  const person = { name: c.author, email: `${c.author}@users.noreply.github.com`, date: c.date };
  return {
    sha: c.sha,
    node_id: `C_${c.sha.slice(0, 12)}`,
    commit: { author: person, committer: person, message: c.message, tree: { sha: c.sha, url: `${b.api}/repos/${repo}/git/trees/${c.sha}` }, url: `${b.api}/repos/${repo}/git/commits/${c.sha}`, comment_count: 0 },
    url: `${b.api}/repos/${repo}/commits/${c.sha}`,
    html_url: `${b.html}/${repo}/commit/${c.sha}`,
    comments_url: `${b.api}/repos/${repo}/commits/${c.sha}/comments`,
    author: user(b, c.author),
    committer: user(b, 'web-flow'),
    parents: c.parents.map((p) => ({ sha: p, url: `${b.api}/repos/${repo}/commits/${p}`, html_url: `${b.html}/${repo}/commit/${p}` })),
  };
}

export function runJson(b: JsonBase, r: SimRun) {
  return {
    id: r.id, name: 'build', node_id: `WFR_${r.id}`, head_branch: r.headBranch, head_sha: r.headSha,
    path: `.github/workflows/${r.workflow}`, display_title: `build ${r.headBranch}`, run_number: r.runNumber, run_attempt: 1,
    event: r.event, status: r.status, conclusion: r.conclusion, workflow_id: r.workflow.length * 31,
    url: `${b.api}/repos/${r.repo}/actions/runs/${r.id}`, html_url: `${b.html}/${r.repo}/actions/runs/${r.id}`,
    jobs_url: `${b.api}/repos/${r.repo}/actions/runs/${r.id}/jobs`,
    created_at: r.createdAt, updated_at: r.updatedAt, run_started_at: r.createdAt,
    repository: repoJson(b, r.repo), head_repository: repoJson(b, r.repo),
  };
}

export function jobJson(b: JsonBase, r: SimRun, j: SimJob) {
  return {
    id: j.id, run_id: r.id, name: j.name, status: j.status, conclusion: j.conclusion, head_sha: r.headSha,
    head_branch: r.headBranch, workflow_name: 'build', started_at: j.startedAt ?? r.createdAt, completed_at: j.completedAt,
    created_at: r.createdAt, url: `${b.api}/repos/${r.repo}/actions/jobs/${j.id}`,
    html_url: `${b.html}/${r.repo}/actions/runs/${r.id}/job/${j.id}`, run_url: `${b.api}/repos/${r.repo}/actions/runs/${r.id}`,
    labels: ['ubuntu-latest'], steps: [],
  };
}

export function deploymentJson(b: JsonBase, d: SimDeployment) {
  return {
    id: d.id, node_id: `DE_${d.id}`, sha: d.sha, ref: d.ref, task: 'deploy', payload: d.payload, original_environment: d.environment,
    environment: d.environment, description: d.description, creator: user(b, 'deckhand[bot]'), created_at: d.createdAt,
    updated_at: d.statuses.at(-1)?.createdAt ?? d.createdAt, url: `${b.api}/repos/${d.repo}/deployments/${d.id}`,
    statuses_url: `${b.api}/repos/${d.repo}/deployments/${d.id}/statuses`, repository_url: `${b.api}/repos/${d.repo}`,
    transient_environment: d.transientEnvironment, production_environment: d.productionEnvironment,
  };
}

export function deploymentStatusJson(b: JsonBase, d: SimDeployment, s: SimDeploymentStatus) {
  return {
    id: s.id, node_id: `DES_${s.id}`, state: s.state, description: s.description, environment: d.environment,
    target_url: s.logUrl, log_url: s.logUrl, environment_url: s.environmentUrl, creator: user(b, 'deckhand[bot]'),
    created_at: s.createdAt, updated_at: s.createdAt, url: `${b.api}/repos/${d.repo}/deployments/${d.id}/statuses/${s.id}`,
    deployment_url: `${b.api}/repos/${d.repo}/deployments/${d.id}`, repository_url: `${b.api}/repos/${d.repo}`,
  };
}
