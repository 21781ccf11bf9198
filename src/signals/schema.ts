import { z } from 'zod';

/*
 * Third-party payloads, read leniently (we act on a few fields and display others): unknown keys are allowed, and
 * only what Deckhand needs is required.
 */

const Labels = z.record(z.string(), z.string());

/** One alert of an Alertmanager webhook notification. */
export const AlertmanagerAlert = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: Labels,
  annotations: Labels.default({}),
  startsAt: z.string().optional(),
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().optional(),
});
export type AlertmanagerAlert = z.infer<typeof AlertmanagerAlert>;

/** Alertmanager's webhook notification, payload version 4 (its `webhook_config` receiver). */
export const AlertmanagerPayload = z.object({
  version: z.literal('4', { error: 'Deckhand reads Alertmanager webhook payload version 4' }),
  groupKey: z.string().optional(),
  truncatedAlerts: z.number().optional(),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string().optional(),
  groupLabels: Labels.default({}),
  commonLabels: Labels.default({}),
  commonAnnotations: Labels.default({}),
  externalURL: z.string().optional(),
  alerts: z.array(AlertmanagerAlert),
});
export type AlertmanagerPayload = z.infer<typeof AlertmanagerPayload>;

const SentryProject = z.object({ slug: z.string().optional(), id: z.union([z.string(), z.number()]).optional() });
/** A release as Sentry serializes it in places (`{version: …}`), or just its version. */
const SentryRelease = z.union([z.string(), z.object({ version: z.string() }).transform((r) => r.version)]).nullish();

/** `Sentry-Hook-Resource: issue`: an issue's lifecycle (`created`, `resolved`, `assigned`, …). */
export const SentryIssuePayload = z.object({
  action: z.string(),
  data: z.object({
    issue: z.object({
      id: z.union([z.string(), z.number()]).optional(),
      shortId: z.string().optional(),
      title: z.string().optional(),
      culprit: z.string().nullish(),
      web_url: z.string().optional(),
      permalink: z.string().nullish(),
      project: SentryProject.optional(),
      /** When the issue's first event was seen (RFC 3339): signed with the body, unlike the delivery's headers. */
      firstSeen: z.string().nullish(),
      firstRelease: SentryRelease,
      release: SentryRelease,
    }),
  }),
});
export type SentryIssuePayload = z.infer<typeof SentryIssuePayload>;

/** `Sentry-Hook-Resource: event_alert`: an issue alert rule fired on an event. */
export const SentryEventAlertPayload = z.object({
  action: z.string(),
  data: z.object({
    event: z.object({
      title: z.string().optional(),
      message: z.string().nullish(),
      culprit: z.string().nullish(),
      release: z.string().nullish(),
      web_url: z.string().optional(),
      issue_id: z.union([z.string(), z.number()]).optional(),
      project: z.union([z.string(), z.number()]).optional(),
      /** When Sentry received the event (Unix seconds, its own clock); `datetime` is the event's own time. */
      received: z.number().nullish(),
      datetime: z.string().nullish(),
      /** `[["release", "v1.5.0"], ["environment", "production"], …]` */
      tags: z.array(z.tuple([z.string(), z.string()]).rest(z.unknown())).optional(),
    }),
    triggered_rule: z.string().optional(),
  }),
});
export type SentryEventAlertPayload = z.infer<typeof SentryEventAlertPayload>;
