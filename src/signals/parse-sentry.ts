import { SentryEventAlertPayload, SentryIssuePayload } from './schema.ts';
import type { Parsed } from './parse-alertmanager.ts';
import type { Signal } from './signal.ts';

/**
 * A Sentry integration-platform delivery → signals. Two resources count: a new issue (`issue`, action `created`)
 * and an issue alert (`event_alert`, action `triggered`). Every other resource or action (resolved, assigned,
 * comments, installation …) is acknowledged and changes nothing. A signal without a release cannot be tied to a
 * version and is kept with `release` absent (the ingress ignores it). `startsAt` is when Sentry first saw the issue
 * (or received the alert's event): part of the signed body, so a replay cannot make an old issue look new.
 */
export function parseSentry(resource: string | undefined, body: string): Parsed {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, problem: 'the body is not JSON' };
  }
  if (resource === 'issue') {
    const parsed = SentryIssuePayload.safeParse(json);
    if (!parsed.success) return { ok: false, problem: 'not a Sentry issue payload' };
    if (parsed.data.action !== 'created') return { ok: true, signals: [] };
    const issue = parsed.data.data.issue;
    const release = issue.firstRelease ?? issue.release ?? undefined;
    return {
      ok: true,
      signals: [signal({
        name: issue.shortId ?? String(issue.id ?? 'issue'), summary: issue.title, url: issue.web_url ?? issue.permalink ?? undefined,
        project: issue.project?.slug, release, startsAt: issue.firstSeen ?? undefined,
      })],
    };
  }
  if (resource === 'event_alert') {
    const parsed = SentryEventAlertPayload.safeParse(json);
    if (!parsed.success) return { ok: false, problem: 'not a Sentry issue alert payload' };
    if (parsed.data.action !== 'triggered') return { ok: true, signals: [] };
    const { event, triggered_rule: rule } = parsed.data.data;
    const tags = new Map((event.tags ?? []).map(([k, v]) => [k, v]));
    const release = event.release ?? tags.get('sentry:release') ?? tags.get('release');
    // An issue alert's event names its project by id (config may list the id beside the slug).
    const project = event.project !== undefined ? String(event.project) : tags.get('project');
    // Sentry's clock first: the event's own `datetime` is the client's, which may be off.
    const seenAt = isoOfSeconds(event.received) ?? event.datetime ?? undefined;
    return {
      ok: true,
      signals: [signal({
        name: rule ?? event.title ?? 'Sentry issue alert', summary: event.title ?? event.message ?? undefined, url: event.web_url,
        project, release: release ?? undefined, environment: tags.get('environment'), startsAt: seenAt,
      })],
    };
  }
  return { ok: true, signals: [] };
}

function signal(o: { name: string; summary?: string; url?: string; project?: string; release?: string; environment?: string; startsAt?: string }): Signal {
  const labels: Record<string, string> = {};
  if (o.project) labels.project = o.project;
  if (o.release) labels.release = o.release;
  if (o.environment) labels.environment = o.environment;
  return {
    source: 'sentry', status: 'firing', name: o.name, labels,
    ...(o.summary !== undefined && { summary: o.summary }),
    ...(o.url !== undefined && { url: o.url }),
    ...(o.release !== undefined && { release: o.release }),
    ...(o.startsAt !== undefined && { startsAt: o.startsAt }),
  };
}

function isoOfSeconds(seconds: number | null | undefined): string | undefined {
  if (typeof seconds !== 'number') return undefined;
  const at = new Date(seconds * 1000);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}
