import type { SimCommit } from '../github/repo-graph.ts';
import type { SimGitLabDeployment, SimGitLabJob, SimMergeRequest, SimPipeline, SimProject } from './sim-gitlab-state.ts';

/**
 * The REST v4 wire shapes the simulated GitLab answers with, trimmed to the fields clients commonly read but named
 * and nested exactly as gitlab.com does. `web` is the instance root that web_url links start from.
 */
const user = (web: string, username: string) => ({ id: username.length * 7919, username, name: username, state: 'active', avatar_url: null, web_url: `${web}/${username}` });

export function projectJson(web: string, p: SimProject) {
  const [namespace = ''] = p.path.split('/');
  const name = p.path.split('/').at(-1) ?? p.path;
  return {
    id: p.id, name, path: name, path_with_namespace: p.path, name_with_namespace: p.path.split('/').join(' / '),
    default_branch: 'main', visibility: 'private', web_url: `${web}/${p.path}`, http_url_to_repo: `${web}/${p.path}.git`,
    namespace: { id: namespace.length * 31, name: namespace, path: namespace, kind: 'group', full_path: p.path.split('/').slice(0, -1).join('/') },
    created_at: '2026-01-05T09:00:00.000Z', last_activity_at: '2026-01-05T09:00:00.000Z',
  };
}

export function commitJson(web: string, p: SimProject, c: SimCommit) {
  const title = c.message.split('\n')[0] ?? '';
  return {
    id: c.sha, short_id: c.sha.slice(0, 8), created_at: c.date, parent_ids: c.parents, title, message: c.message,
    author_name: c.author, author_email: `${c.author}@example.com`, authored_date: c.date,
    committer_name: c.author, committer_email: `${c.author}@example.com`, committed_date: c.date,
    trailers: {}, extended_trailers: {}, web_url: `${web}/${p.path}/-/commit/${c.sha}`,
  };
}

export function tagJson(web: string, p: SimProject, name: string, c: SimCommit) {
  return { name, message: '', target: c.sha, commit: commitJson(web, p, c), release: null, protected: false, created_at: c.date };
}

export function mergeRequestJson(web: string, p: SimProject, mr: SimMergeRequest) {
  return {
    id: p.id * 1000 + mr.iid, iid: mr.iid, project_id: p.id, title: mr.title, description: '', state: 'merged',
    created_at: mr.mergedAt, updated_at: mr.mergedAt, merged_at: mr.mergedAt, closed_at: null,
    target_branch: 'main', source_branch: mr.sourceBranch, author: user(web, mr.author), merged_by: user(web, mr.author),
    source_project_id: p.id, target_project_id: p.id, draft: false, merge_status: 'can_be_merged', detailed_merge_status: 'mergeable',
    sha: mr.sha, merge_commit_sha: mr.mergeCommitSha, squash_commit_sha: mr.squashCommitSha, squash: mr.squashCommitSha !== null,
    reference: `!${mr.iid}`, references: { short: `!${mr.iid}`, relative: `!${mr.iid}`, full: `${p.path}!${mr.iid}` },
    web_url: `${web}/${p.path}/-/merge_requests/${mr.iid}`,
  };
}

export function pipelineJson(web: string, p: SimProject, pl: SimPipeline) {
  return {
    id: pl.id, iid: pl.iid, project_id: p.id, sha: pl.sha, ref: pl.ref, status: pl.status, source: pl.source,
    created_at: pl.createdAt, updated_at: pl.updatedAt, web_url: `${web}/${p.path}/-/pipelines/${pl.id}`,
    before_sha: '0000000000000000000000000000000000000000', tag: pl.tag, yaml_errors: null, user: user(web, 'deckhand-bot'),
    started_at: pl.startedAt, finished_at: pl.finishedAt, committed_at: null,
    duration: pl.startedAt && pl.finishedAt ? Math.round((Date.parse(pl.finishedAt) - Date.parse(pl.startedAt)) / 1000) : null,
    queued_duration: null, coverage: null,
    detailed_status: { icon: `status_${pl.status}`, text: pl.status, label: pl.status, group: pl.status, tooltip: pl.status, has_details: true, details_path: `/${p.path}/-/pipelines/${pl.id}`, favicon: `favicon_status_${pl.status}` },
  };
}

export function jobJson(web: string, p: SimProject, pl: SimPipeline, j: SimGitLabJob) {
  return {
    id: j.id, name: j.name, stage: j.stage, status: j.status, ref: pl.ref, tag: pl.tag, allow_failure: false,
    created_at: pl.createdAt, started_at: j.startedAt, finished_at: j.finishedAt,
    duration: j.startedAt && j.finishedAt ? (Date.parse(j.finishedAt) - Date.parse(j.startedAt)) / 1000 : null,
    user: user(web, 'deckhand-bot'), pipeline: { id: pl.id, iid: pl.iid, project_id: p.id, ref: pl.ref, sha: pl.sha, status: pl.status },
    web_url: `${web}/${p.path}/-/jobs/${j.id}`, ...(j.status === 'failed' && { failure_reason: 'script_failure' }),
  };
}

export function deploymentJson(web: string, p: SimProject, d: SimGitLabDeployment) {
  return {
    id: d.id, iid: d.iid, ref: d.ref, sha: d.sha, status: d.status, created_at: d.createdAt, updated_at: d.updatedAt,
    user: user(web, 'deckhand-bot'), deployable: null,
    environment: { id: d.environment.length * 131, name: d.environment, slug: d.environment, external_url: null, state: 'available', tier: d.environment === 'production' ? 'production' : 'staging' },
    project_id: p.id,
  };
}

/** A Pipeline Hook body as GitLab sends it (trimmed). */
export function pipelineHookJson(web: string, p: SimProject, pl: SimPipeline) {
  return {
    object_kind: 'pipeline',
    object_attributes: {
      id: pl.id, iid: pl.iid, name: null, ref: pl.ref, tag: pl.tag, sha: pl.sha, before_sha: '0000000000000000000000000000000000000000',
      source: pl.source, status: pl.status, detailed_status: pl.status, stages: [...new Set(pl.jobs.map((j) => j.stage))],
      created_at: pl.createdAt, finished_at: pl.finishedAt, duration: null, queued_duration: null, variables: pl.variables,
      url: `${web}/${p.path}/-/pipelines/${pl.id}`,
    },
    merge_request: null,
    user: user(web, 'deckhand-bot'),
    project: { id: p.id, name: p.path.split('/').at(-1), path_with_namespace: p.path, web_url: `${web}/${p.path}`, default_branch: 'main' },
    builds: pl.jobs.map((j) => ({ id: j.id, stage: j.stage, name: j.name, status: j.status, started_at: j.startedAt, finished_at: j.finishedAt })),
  };
}
