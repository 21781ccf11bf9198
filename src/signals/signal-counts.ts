import type { Deploy } from '../deploy/index.ts';
import type { Signal } from './signal.ts';
import { SENTRY_MAX_SKEW_MS } from './verify-sentry-signature.ts';

export type SignalDecision = { counts: true } | { counts: false; why: string };

/**
 * Whether a signal about a deploy's service and environment stops that deploy. Pure, so redelivery is harmless:
 *
 * - only a firing alert counts (a resolved one changes nothing);
 * - only a deploy rolling out or watching its soak window (before that the new version serves nothing; once it is
 *   already being taken down, there is nothing more to do — Alertmanager's resends land here);
 * - an alert that started firing before the deploy was asked for is not about it (an incident already under way,
 *   or the alert that rolled back the previous attempt, resent);
 * - a Sentry issue counts only for the release being rolled out (release = version, or `name@version`), and only
 *   when Sentry first saw it (give or take 5 minutes of clock skew) after the deploy was requested.
 */
export function signalCounts(signal: Signal, d: Deploy): SignalDecision {
  if (signal.status !== 'firing') return { counts: false, why: 'resolved' };
  if (d.action.kind !== 'deploy') return { counts: false, why: `#${d.id} is a rollback` };
  if (d.phase !== 'rolling_out' && d.phase !== 'watching') return { counts: false, why: `#${d.id} is ${d.phase.replaceAll('_', ' ')}` };
  if (d.steering.abort) return { counts: false, why: `#${d.id} is already being taken down` };
  if (signal.source === 'sentry') {
    if (signal.release === undefined) return { counts: false, why: 'the issue names no release' };
    // Sentry's own convention names releases `package@version`: the part after the last @ is the version then.
    if (signal.release !== d.action.version && !signal.release.endsWith(`@${d.action.version}`)) return { counts: false, why: `release ${signal.release} is not ${d.action.version}` };
    // The time is in the signed body: a delivery about an earlier attempt at this release, replayed with fresh
    // headers, stops here. Skew allowed, because Sentry's clock is not ours; an issue seen after the request counts.
    const seen = signal.startsAt ? Date.parse(signal.startsAt) : NaN;
    if (Number.isFinite(seen) && seen < Date.parse(d.createdAt) - SENTRY_MAX_SKEW_MS) return { counts: false, why: `it was first seen before #${d.id} was requested` };
    return { counts: true };
  }
  const started = signal.startsAt ? Date.parse(signal.startsAt) : NaN;
  if (Number.isFinite(started) && started < Date.parse(d.createdAt)) return { counts: false, why: `it fired before #${d.id} was requested` };
  return { counts: true };
}
