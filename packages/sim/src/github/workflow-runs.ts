import { createHmac, randomUUID } from 'node:crypto';
import { repoJson, runJson, type JsonBase } from './github-json.ts';
import { githubTime, type SimGitHubState, type SimJob, type SimRun } from './sim-state.ts';

export interface WebhookTarget {
  url: string;
  secret: string;
}

export interface WebhookDelivery {
  id: string;
  event: string;
  action: string;
  runId: number;
  status?: number;
  error?: string;
}

export interface RunnerOptions {
  state: SimGitHubState;
  base: () => JsonBase;
  /** How long a build takes from dispatch to completed. */
  buildDelayMs: number;
  webhook: () => WebhookTarget | undefined;
  deliveries: WebhookDelivery[];
}

/**
 * Plays workflow runs like GitHub Actions: queued → in_progress (job by job) → completed, the image pushed to
 * the registry on success; a `failing` tag fails its test job. Each transition changes the run's `updated_at`
 * (so its ETag) and is delivered as a signed `workflow_run` webhook when one is configured.
 */
export class WorkflowRunner {
  readonly #o: RunnerOptions;
  readonly #timers = new Set<NodeJS.Timeout>();
  #runNumber = 0;

  constructor(o: RunnerOptions) {
    this.#o = o;
  }

  start(repo: string, workflow: string, ref: string, sha: string, inputs: Record<string, unknown>): SimRun {
    const now = githubTime();
    const job = (name: string): SimJob => ({ id: this.#o.state.nextId(), name, status: 'queued', conclusion: null, startedAt: null, completedAt: null });
    const run: SimRun = {
      id: this.#o.state.nextId(), repo, workflow, runNumber: ++this.#runNumber, headBranch: ref, headSha: sha, event: 'workflow_dispatch',
      status: 'queued', conclusion: null, createdAt: now, updatedAt: now, jobs: [job('test'), job('build and push image')], inputs,
    };
    this.#o.state.runs.set(run.id, run);
    this.#deliver(run, 'requested');
    const failing = this.#o.state.repos.get(repo.toLowerCase())?.failing.has(ref) ?? false;
    const d = this.#o.buildDelayMs;
    const [test, push] = run.jobs as [SimJob, SimJob];
    this.#at(d * 0.2, run, () => { run.status = 'in_progress'; startJob(test); }, 'in_progress');
    if (failing) {
      this.#at(d * 0.6, run, () => { endJob(test, 'failure'); endJob(push, 'skipped'); run.status = 'completed'; run.conclusion = 'failure'; }, 'completed');
      return run;
    }
    this.#at(d * 0.5, run, () => { endJob(test, 'success'); startJob(push); });
    this.#at(d, run, () => {
      endJob(push, 'success');
      run.status = 'completed';
      run.conclusion = 'success';
      this.#o.state.pushImage(repo, ref);
    }, 'completed');
    return run;
  }

  #at(ms: number, run: SimRun, change: () => void, webhookAction?: string): void {
    const t = setTimeout(() => {
      this.#timers.delete(t);
      // A run cancelled meanwhile stays as it is.
      if (run.status === 'completed') return;
      change();
      bumpUpdatedAt(run);
      if (webhookAction) this.#deliver(run, webhookAction);
    }, Math.round(ms));
    t.unref();
    this.#timers.add(t);
  }

  cancel(run: SimRun): void {
    if (run.status === 'completed') return;
    for (const j of run.jobs) if (j.status !== 'completed') endJob(j, 'cancelled');
    run.status = 'completed';
    run.conclusion = 'cancelled';
    bumpUpdatedAt(run);
    this.#deliver(run, 'completed');
  }

  #deliver(run: SimRun, action: string): void {
    const target = this.#o.webhook();
    if (!target) return;
    const b = this.#o.base();
    const body = JSON.stringify({ action, workflow_run: runJson(b, run), workflow: { id: run.workflow.length * 31, name: 'build', path: `.github/workflows/${run.workflow}` }, repository: repoJson(b, run.repo), sender: { login: 'deckhand[bot]', type: 'Bot' } });
    const delivery: WebhookDelivery = { id: randomUUID(), event: 'workflow_run', action, runId: run.id };
    this.#o.deliveries.push(delivery);
    const signature = `sha256=${createHmac('sha256', target.secret).update(body).digest('hex')}`;
    fetch(target.url, {
      method: 'POST', body,
      headers: { 'content-type': 'application/json', 'user-agent': 'GitHub-Hookshot/sim', 'x-github-event': 'workflow_run', 'x-github-delivery': delivery.id, 'x-hub-signature-256': signature },
    }).then((res) => { delivery.status = res.status; return res.body?.cancel(); }, (err: unknown) => { delivery.error = String(err); });
  }

  close(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }
}

function startJob(j: SimJob): void {
  j.status = 'in_progress';
  j.startedAt = githubTime();
}

function endJob(j: SimJob, conclusion: string): void {
  j.status = 'completed';
  j.conclusion = conclusion;
  j.startedAt ??= githubTime();
  j.completedAt = githubTime();
}

/**
 * GitHub timestamps have whole seconds, so two transitions within a second would look unchanged; the sim keeps
 * them distinct (a later second) so every change shows in the body and so in the ETag.
 */
function bumpUpdatedAt(run: SimRun): void {
  const prev = Date.parse(run.updatedAt);
  const now = Date.now();
  run.updatedAt = githubTime(Math.max(now, prev + 1000));
}
