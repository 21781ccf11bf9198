import { strategyLabel, versionOfImage, type Deploy, type DeployEvent } from '../deploy/index.ts';

/** The moments of a deploy that are marked on dashboards and in PagerDuty's change timeline. */
export type MarkerKind = 'start' | 'step' | 'success' | 'abort' | 'rollback' | 'failed';

/** One marker: a point in time (`at`), or for the whole deploy when it ends a region (`from` → `at`). */
export interface Marker {
  kind: MarkerKind;
  /** The same moment seen twice (a step re-run after a crash, another note at the same step) has the same key. */
  key: string;
  deploy: Deploy;
  /** ms since the epoch. */
  at: number;
  /** One line for people: what happened, as the card said it. */
  text: string;
  /** Set on the marker of an ended deploy: when its rollout started (ms since the epoch). */
  from?: number;
}

/** The version a deploy puts in place: the one asked for, or what a rollback restores (once its first step knows). */
export function versionOf(d: Deploy): string {
  if (d.action.kind === 'deploy') return d.action.version;
  if (d.action.toVersion) return d.action.toVersion;
  return typeof d.state.toImage === 'string' ? versionOfImage(d.state.toImage) : 'previous';
}

/** `canary`, `rolling`, `bluegreen`, or `rollback` for a rollback deploy. */
export function strategyOf(d: Deploy): string {
  return d.action.kind === 'rollback' ? 'rollback' : d.action.strategy.kind;
}

function describe(d: Deploy): string {
  const what = d.action.kind === 'rollback' ? `rollback of ${d.service}` : `${d.service} ${d.action.version} (${strategyLabel(d)})`;
  return `Deckhand #${d.id} ${what} → ${d.env}`;
}

/**
 * Which deploy events are markers, and which kind. Pure, so it is the whole rule in one place:
 *
 * - start: the deploy enters `rolling_out` (a rollback deploy's start is a `rollback` marker);
 * - step: a canary's traffic step is set (the `set_weight` step's note, recorded as the deploy moves on to
 *   `await_canary`), and its promotion to 100% (the note recorded as it moves on to `promote`);
 * - rollback: a rollout is being rolled back (`rolling_back`), or has been (`rolled_back`);
 * - success / abort / failed: the deploy ended so; these carry `from`, for a region over the whole deploy.
 *
 * Approvals, votes, progress and analysis rounds are not markers: they are on the card.
 */
export function markerOf(e: DeployEvent, now: number): Marker | undefined {
  const d = e.deploy;
  const at = now;
  const text = (words: string): string => `${describe(d)}: ${words}`;
  if (e.kind === 'note') {
    // Other notes (votes, pause requests) can arrive while a deploy sits at these steps: `key` tells them apart, as
    // one traffic step is one `weightSetAt`.
    if (d.step === 'await_canary' && typeof d.state.weightSetAt === 'number') {
      return { kind: 'step', key: `step:${d.state.weightSetAt}`, deploy: d, at, text: text(e.message) };
    }
    if (d.step === 'promote') return { kind: 'step', key: 'step:promote', deploy: d, at, text: text(e.message) };
    return undefined;
  }
  if (e.kind !== 'phase') return undefined;
  const from = new Date(d.createdAt).getTime();
  switch (e.phase) {
    case 'rolling_out':
      return { kind: d.action.kind === 'rollback' ? 'rollback' : 'start', key: 'start', deploy: d, at, text: text(e.message || 'rollout started') };
    case 'rolling_back':
      return { kind: 'rollback', key: 'rolling_back', deploy: d, at, text: text(e.message || 'rolling back') };
    case 'succeeded':
      return { kind: d.action.kind === 'rollback' ? 'rollback' : 'success', key: 'end', deploy: d, at, from, text: text(e.message || 'succeeded') };
    case 'rolled_back':
      return { kind: 'rollback', key: 'end', deploy: d, at, from, text: text(e.message || 'rolled back') };
    case 'aborted':
      return { kind: 'abort', key: 'end', deploy: d, at, from, text: text(e.message || 'aborted') };
    case 'failed':
      return { kind: 'failed', key: 'end', deploy: d, at, from, text: text(e.message || 'failed') };
    case 'watching':
      // Promoted, and soaking: a step on the dashboard; `success` comes when the soak window ends.
      return { kind: 'step', key: 'watching', deploy: d, at, text: text(e.message || 'promoted; watching') };
    case 'awaiting_approval': case 'queued': case 'building': case 'denied': case 'expired':
      return undefined;
    default: {
      const unhandled: never = e.phase;
      return unhandled;
    }
  }
}

/** Tags every marker carries, in Grafana's `key:value` style: they are what a dashboard's annotation query filters on. */
export function markerTags(m: Marker): string[] {
  const d = m.deploy;
  return ['deckhand', `service:${d.service}`, `env:${d.env}`, `version:${versionOf(d)}`, `deploy:${d.id}`, `event:${m.kind}`];
}
