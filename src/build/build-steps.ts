import type { BuildProgress, Deploy, Step, StepContext, StepResult } from '../deploy/index.ts';
import { buildStateOf, describeBuild, withBuild, type BuildState } from './build-state.ts';
import { checkVersion } from './check-version.ts';
import { forgeFor, forgeOrFail, repoRefOf, type BuildForge, type BuildTarget, type ForgeChoice, type ImageChecker } from './ports.ts';

export interface PollOptions {
  /** First and shortest poll interval (default 5 s). */
  intervalMs?: number;
  /** Polls back off by half again while nothing changes, up to this (default 30 s). */
  maxIntervalMs?: number;
  /** With the `workflow_run` webhook configured, polling is only a safety net at this interval (default 60 s). */
  webhookFallbackMs?: number;
  /** A build running longer than this fails the deploy (default 60 min). */
  timeoutMs?: number;
  /** How long GitHub may take to show the dispatched run before Deckhand gives up (default 3 min). */
  findTimeoutMs?: number;
}

/** The forge each service builds on: `github` (GitHub Actions), or a registry by kind that may hold GitLab CI. */
export interface BuildStepsDeps extends ForgeChoice<BuildForge> {
  images: ImageChecker;
  targetOf(deploy: Deploy): BuildTarget;
  polling?: PollOptions;
  /**
   * True when signed `workflow_run` webhooks reach Deckhand to wake the follow step (see receiveWorkflowRun); per
   * forge when it differs (GitHub's secret set, GitLab's webhook token not).
   */
  webhook?: boolean | Partial<Record<'github' | 'gitlab', boolean>>;
  now?: () => number;
}

/** Where the chain goes after a build step; given by createReleaseSteps. */
export type NextStep = (after: string, deploy: Deploy, build: BuildState) => string;

export const BUILD_CHECK = 'build_check';
export const BUILD_DISPATCH = 'build_dispatch';
export const BUILD_FIND = 'build_find';
export const BUILD_FOLLOW = 'build_follow';

const versionOf = (d: Deploy): string | undefined => (d.action.kind === 'deploy' ? d.action.version : d.action.toVersion);

/**
 * The build steps: check that the version is a tag and whether its image exists; if not, dispatch the build
 * workflow once, find its run, and follow it to the end — polling conditionally (one request per interval,
 * backing off while nothing changes) or woken by the webhook. The outcome always comes from the GitHub API, never
 * from a webhook's payload. A failed or cancelled build ends the deploy as failed with the run's link, before
 * anything is rolled out.
 */
export function createBuildSteps(deps: BuildStepsDeps, next: NextStep): Map<string, Step> {
  const now = deps.now ?? Date.now;
  const base = deps.polling?.intervalMs ?? 5_000;
  const max = deps.polling?.maxIntervalMs ?? 30_000;
  const hooked = (t: BuildTarget): boolean => (typeof deps.webhook === 'object' ? deps.webhook[t.forge ?? 'github'] ?? false : deps.webhook ?? false);
  // Woken by webhooks, polling is only a safety net; without them the follow step polls, backing off while nothing changes.
  const pollEveryFor = (t: BuildTarget): number => (hooked(t) ? Math.max(base, deps.polling?.webhookFallbackMs ?? 60_000) : base);
  const forgeName = (t: BuildTarget): string => (t.forge === 'gitlab' ? 'GitLab' : 'GitHub');
  const timeoutMs = deps.polling?.timeoutMs ?? 60 * 60_000;
  const findTimeoutMs = deps.polling?.findTimeoutMs ?? 3 * 60_000;

  const emit = (ctx: StepContext, build: BuildProgress): void => {
    ctx.emit({ kind: 'build', deploy: ctx.deploy, build, message: describeBuild(versionOf(ctx.deploy) ?? '', build) });
  };
  const progressOf = (b: BuildState): BuildProgress => ({
    status: b.status ?? 'requested',
    ...(b.conclusion && { conclusion: b.conclusion }),
    ...(b.jobsTotal !== undefined && { jobsDone: b.jobsDone ?? 0, jobsTotal: b.jobsTotal }),
    ...(b.runUrl !== undefined && { url: b.runUrl }),
  });

  const check: Step = async (ctx) => {
    const d = ctx.deploy;
    const version = versionOf(d);
    // A rollback has nothing to build or resolve: its image ran before (and may predate any tag).
    if (version === undefined || d.action.kind === 'rollback') return { kind: 'next', step: next(BUILD_CHECK, d, {}) };
    const t = deps.targetOf(d);
    const forge = forgeFor(deps, t);
    if (!forge) {
      // Like a Deckhand with no forge at all: the version is deployed as it is, unchecked and unbuilt.
      ctx.emit({ kind: 'note', deploy: d, message: `${version} was not checked or built: ${d.service} is on ${forgeName(t)}, and this Deckhand has no ${forgeName(t)} connection.` });
      return { kind: 'next', step: next(BUILD_FOLLOW, d, {}) };
    }
    const tag = await checkVersion(forge, t.repository, version);
    if (tag.kind === 'missing') {
      return { kind: 'done', phase: 'failed', summary: `${tag.message} Nothing was rolled out.`, state: { versionSuggestions: tag.suggestions } };
    }
    if (await deps.images.imageExists(t.image, version)) {
      return { kind: 'next', step: next(BUILD_CHECK, d, { needed: false }), state: withBuild(d, { needed: false }) };
    }
    if (!t.workflow) {
      const what = t.forge === 'gitlab' ? `no build configured (services.${d.service}.build: a pipeline for the tag)` : `no build workflow configured (services.${d.service}.build.workflow)`;
      return { kind: 'done', phase: 'failed', summary: `${t.image}:${version} is not in the registry and ${d.service} has ${what}. Nothing was rolled out.` };
    }
    const build: BuildState = { needed: true, requestedAt: new Date(now()).toISOString(), status: 'requested' };
    emit(ctx, progressOf(build));
    return { kind: 'next', step: next(BUILD_CHECK, d, build), phase: 'building', state: withBuild(d, build), message: describeBuild(version, progressOf(build)) };
  };

  /** The one write of the build: a workflow_dispatch. Re-run after a crash, it first looks for the run it made. */
  const dispatch: Step = async (ctx) => {
    const d = ctx.deploy;
    const b = buildStateOf(d);
    const t = deps.targetOf(d);
    const forge = forgeOrFail(deps, t);
    const pollEvery = pollEveryFor(t);
    const repo = repoRefOf(t.repository);
    const version = versionOf(d) ?? '';
    const ref = t.ref ?? version;
    const workflow = t.workflow ?? '';
    if (b.runId !== undefined) return { kind: 'next', step: BUILD_FOLLOW };
    if (b.dispatchedAt !== undefined) return { kind: 'next', step: BUILD_FIND };
    // GitHub's clock may run a little behind ours: look back a minute for a run this deploy already started.
    // Only at the version's own tag: a run at a shared ref (`main` with inputs) may be building something else.
    const since = new Date(Date.parse(b.requestedAt ?? new Date(now()).toISOString()) - 60_000).toISOString();
    const earlier = ref === version ? await forge.findDispatchedRun(repo, workflow, ref, since) : undefined;
    // A run of the same tag still going (or done well) builds the same image; a failed one is not ours to reuse.
    if (earlier && (earlier.status !== 'completed' || earlier.conclusion === 'success')) {
      return { kind: 'next', step: BUILD_FOLLOW, state: withBuild(d, { dispatchedAt: since, runId: earlier.id, runUrl: earlier.htmlUrl, lastPollAt: now() }) };
    }
    const inputs = t.inputs && Object.fromEntries(Object.entries(t.inputs).map(([k, v]) => [k, v.replaceAll('{version}', version)]));
    const r = await forge.dispatchWorkflow(repo, workflow, ref, inputs);
    const change: Partial<BuildState> = { dispatchedAt: r.dispatchedAt, lastPollAt: now(), pollMs: pollEvery, ...(r.runId !== undefined && { runId: r.runId, runUrl: r.runUrl, status: 'queued' }) };
    if (r.runId !== undefined) emit(ctx, progressOf({ ...b, ...change }));
    // The first look at the run waits a full interval: the dispatch was this interval's request.
    return { kind: 'wait', delayMs: pollEvery, step: r.runId !== undefined ? BUILD_FOLLOW : BUILD_FIND, state: withBuild(d, change) };
  };

  /** Older GitHub Enterprise answers a dispatch without the run: find it by workflow, event, ref and time. */
  const find: Step = async (ctx) => {
    const d = ctx.deploy;
    const b = buildStateOf(d);
    if (b.runId !== undefined) return { kind: 'next', step: BUILD_FOLLOW };
    const early = spacing(b);
    if (early) return early;
    const t = deps.targetOf(d);
    const run = await forgeOrFail(deps, t).findDispatchedRun(repoRefOf(t.repository), t.workflow ?? '', t.ref ?? versionOf(d) ?? '', b.dispatchedAt ?? new Date(now()).toISOString());
    if (run) {
      const change: Partial<BuildState> = { runId: run.id, runUrl: run.htmlUrl, status: 'queued', lastPollAt: now() };
      emit(ctx, progressOf({ ...b, ...change }));
      return { kind: 'wait', delayMs: base, step: BUILD_FOLLOW, state: withBuild(d, change) };
    }
    if (now() - Date.parse(b.dispatchedAt ?? '') > findTimeoutMs) {
      return { kind: 'done', phase: 'failed', summary: `${forgeName(t)} did not start ${t.workflow} for ${versionOf(d)} within ${Math.round(findTimeoutMs / 1000)} s. Nothing was rolled out.` };
    }
    return { kind: 'wait', delayMs: base, state: withBuild(d, { lastPollAt: now() }) };
  };

  /** Waits out the rest of the interval when woken early (a webhook nudge, a redelivered job): never two requests within one. */
  function spacing(b: BuildState): StepResult | undefined {
    const interval = b.pollMs ?? base;
    const left = (b.lastPollAt ?? 0) + Math.min(interval, base) - now();
    return left > 0 ? { kind: 'wait', delayMs: left } : undefined;
  }

  const finish = (ctx: StepContext, b: BuildState, conclusion: string | null, url: string): StepResult => {
    const d = ctx.deploy;
    const done: BuildState = { ...b, status: 'completed', conclusion, runUrl: url };
    emit(ctx, progressOf(done));
    if (conclusion === 'success') {
      return { kind: 'next', step: next(BUILD_FOLLOW, d, done), state: withBuild(d, done), message: describeBuild(versionOf(d) ?? '', progressOf(done)) };
    }
    const what = conclusion === 'cancelled' ? 'was cancelled' : conclusion === 'timed_out' ? 'timed out' : `failed (${conclusion ?? 'no conclusion'})`;
    return { kind: 'done', phase: 'failed', summary: `The build of ${versionOf(d)} ${what}: ${url}. Nothing was rolled out.`, state: withBuild(d, done) };
  };

  const follow: Step = async (ctx) => {
    const d = ctx.deploy;
    const b = buildStateOf(d);
    const url = b.runUrl ?? '';
    if (d.steering.abort) {
      return { kind: 'done', phase: 'aborted', summary: `Aborted by ${d.steering.abort.by} during the build; nothing was rolled out. The build itself goes on: ${url}` };
    }
    if (now() - Date.parse(b.dispatchedAt ?? new Date(now()).toISOString()) > timeoutMs) {
      return { kind: 'done', phase: 'failed', summary: `The build of ${versionOf(d)} did not finish within ${Math.round(timeoutMs / 60_000)} min: ${url}. Nothing was rolled out.` };
    }
    const early = spacing(b);
    if (early) return early;
    const t = deps.targetOf(d);
    const forge = forgeOrFail(deps, t);
    const pollEvery = pollEveryFor(t);
    const repo = repoRefOf(t.repository);
    const runId = b.runId ?? 0;
    const slower = Math.min(Math.max(max, pollEvery), Math.round((b.pollMs ?? pollEvery) * 1.5));
    if (b.nextPoll === 'jobs') {
      const jobs = await forge.listRunJobs(repo, runId, b.jobsEtag);
      if (jobs.kind === 'not_modified') return { kind: 'wait', delayMs: slower, state: withBuild(d, { nextPoll: 'run', pollMs: slower, lastPollAt: now() }) };
      const change: Partial<BuildState> = {
        jobsDone: jobs.value.filter((j) => j.status === 'completed').length, jobsTotal: jobs.value.length,
        jobsEtag: jobs.etag, nextPoll: 'run', pollMs: pollEvery, lastPollAt: now(),
      };
      if (change.jobsDone !== b.jobsDone || change.jobsTotal !== b.jobsTotal) emit(ctx, progressOf({ ...b, ...change }));
      return { kind: 'wait', delayMs: pollEvery, state: withBuild(d, change) };
    }
    const run = await forge.getRun(repo, runId, b.runEtag);
    if (run.kind === 'not_modified') return { kind: 'wait', delayMs: slower, state: withBuild(d, { pollMs: slower, lastPollAt: now() }) };
    const r = run.value;
    if (r.status === 'completed') return finish(ctx, { ...b, runEtag: run.etag }, r.conclusion, r.htmlUrl);
    const status: BuildState['status'] = r.status === 'in_progress' ? 'in_progress' : 'queued';
    const change: Partial<BuildState> = {
      status, runEtag: run.etag, runUrl: r.htmlUrl, pollMs: pollEvery, lastPollAt: now(),
      // The run changed: its jobs likely did too, so the next poll reads them.
      nextPoll: status === 'in_progress' ? 'jobs' : 'run',
    };
    if (status !== b.status) emit(ctx, progressOf({ ...b, ...change }));
    return { kind: 'wait', delayMs: pollEvery, state: withBuild(d, change) };
  };

  return new Map<string, Step>([[BUILD_CHECK, check], [BUILD_DISPATCH, dispatch], [BUILD_FIND, find], [BUILD_FOLLOW, follow]]);
}
