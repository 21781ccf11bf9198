import { randomUUID } from 'node:crypto';
import { pipelineHookJson } from './gitlab-json.ts';
import { gitlabTime, type SimGitLabJob, type SimGitLabState, type SimPipeline, type SimProject } from './sim-gitlab-state.ts';

export interface GitLabWebhookTarget {
  url: string;
  /** Sent as `X-Gitlab-Token`. */
  token: string;
}

export interface GitLabWebhookDelivery {
  id: string;
  event: 'Pipeline Hook';
  pipelineId: number;
  status: string;
  /** The HTTP status the receiver answered. */
  answered?: number;
  error?: string;
}

export interface PipelineRunnerOptions {
  state: SimGitLabState;
  web: () => string;
  /** Created to finished. */
  buildDelayMs: number;
  webhook: () => GitLabWebhookTarget | undefined;
  deliveries: GitLabWebhookDelivery[];
  /** A succeeded pipeline pushes `group/name:ref` into a registry (the sandbox's simulated one). */
  pushImage(image: string): void;
}

/**
 * Plays pipelines like GitLab CI: created → pending → running (job `test`, then `build-image`) → success or failed,
 * the image pushed on success; a `failing` tag fails its test job. Every status change moves `updated_at` and is
 * delivered as a Pipeline Hook with `X-Gitlab-Token` when a webhook is configured.
 */
export class PipelineRunner {
  readonly #o: PipelineRunnerOptions;
  readonly #timers = new Set<NodeJS.Timeout>();
  #iid = 0;

  constructor(o: PipelineRunnerOptions) {
    this.#o = o;
  }

  start(project: SimProject, ref: string, sha: string, variables: { key: string; value: string }[]): SimPipeline {
    const now = gitlabTime();
    const job = (name: string, stage: string): SimGitLabJob => ({ id: this.#o.state.nextId(), name, stage, status: 'created', startedAt: null, finishedAt: null });
    const pl: SimPipeline = {
      id: this.#o.state.nextId(), iid: ++this.#iid, projectId: project.id, ref, sha, tag: project.graph.tags.has(ref), source: 'api',
      status: 'created', createdAt: now, updatedAt: now, startedAt: null, finishedAt: null,
      jobs: [job('test', 'test'), job('build-image', 'build')], variables,
    };
    this.#o.state.pipelines.set(pl.id, pl);
    const failing = project.failing.has(ref);
    const d = this.#o.buildDelayMs;
    const [test, image] = pl.jobs as [SimGitLabJob, SimGitLabJob];
    this.#at(d * 0.1, project, pl, () => { pl.status = 'pending'; test.status = 'pending'; image.status = 'created'; });
    this.#at(d * 0.2, project, pl, () => { pl.status = 'running'; pl.startedAt = gitlabTime(); startJob(test); });
    if (failing) {
      this.#at(d * 0.6, project, pl, () => { endJob(test, 'failed'); image.status = 'skipped'; finish(pl, 'failed'); });
      return pl;
    }
    this.#at(d * 0.5, project, pl, () => { endJob(test, 'success'); startJob(image); });
    this.#at(d, project, pl, () => {
      endJob(image, 'success');
      this.#o.pushImage(`${project.path}:${ref}`);
      finish(pl, 'success');
    });
    return pl;
  }

  cancel(project: SimProject, pl: SimPipeline): void {
    if (isFinished(pl)) return;
    for (const j of pl.jobs) if (j.status !== 'success' && j.status !== 'failed') j.status = 'canceled';
    finish(pl, 'canceled');
    pl.updatedAt = gitlabTime(Math.max(Date.now(), Date.parse(pl.updatedAt) + 1));
    this.#deliver(project, pl);
  }

  #at(ms: number, project: SimProject, pl: SimPipeline, change: () => void): void {
    const t = setTimeout(() => {
      this.#timers.delete(t);
      // A pipeline cancelled meanwhile stays as it is.
      if (isFinished(pl)) return;
      change();
      pl.updatedAt = gitlabTime(Math.max(Date.now(), Date.parse(pl.updatedAt) + 1));
      this.#deliver(project, pl);
    }, Math.round(ms));
    t.unref();
    this.#timers.add(t);
  }

  #deliver(project: SimProject, pl: SimPipeline): void {
    const target = this.#o.webhook();
    if (!target) return;
    const body = JSON.stringify(pipelineHookJson(this.#o.web(), project, pl));
    const delivery: GitLabWebhookDelivery = { id: randomUUID(), event: 'Pipeline Hook', pipelineId: pl.id, status: pl.status };
    this.#o.deliveries.push(delivery);
    fetch(target.url, {
      method: 'POST', body,
      headers: { 'content-type': 'application/json', 'user-agent': 'GitLab/17.0.0', 'x-gitlab-event': 'Pipeline Hook', 'x-gitlab-token': target.token, 'x-gitlab-event-uuid': delivery.id, 'x-gitlab-instance': this.#o.web() },
    }).then((res) => { delivery.answered = res.status; return res.body?.cancel(); }, (err: unknown) => { delivery.error = String(err); });
  }

  close(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }
}

const isFinished = (pl: SimPipeline): boolean => pl.status === 'success' || pl.status === 'failed' || pl.status === 'canceled';

function startJob(j: SimGitLabJob): void {
  j.status = 'running';
  j.startedAt = gitlabTime();
}

function endJob(j: SimGitLabJob, status: 'success' | 'failed'): void {
  j.status = status;
  j.startedAt ??= gitlabTime();
  j.finishedAt = gitlabTime();
}

function finish(pl: SimPipeline, status: 'success' | 'failed' | 'canceled'): void {
  pl.status = status;
  pl.finishedAt = gitlabTime();
}
