import { z } from 'zod';

/** A Prometheus label name (`service`, `deckhand_service`). */
const LabelName = z.string({ error: 'must be a label name' }).regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'must be a Prometheus label name like `service`');

const SentryProjectRef = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be a Sentry project slug like `api-backend` or its numeric id');

/**
 * How monitoring signals find a service (`signals:` in a service's entry). An Alertmanager alert is about this
 * service when one of `alertLabels` carries `alertValue` (default: the service's name); it is about an environment
 * when one of `envLabels` names it (an alert with none of them is about every environment). A Sentry issue or issue
 * alert is about this service when it comes from `sentryProject`.
 */
export const ServiceSignals = z.object({
  alertLabels: z.array(LabelName).min(1).default(['service', 'deckhand_service']),
  alertValue: z.string().min(1).optional(),
  envLabels: z.array(LabelName).default(['env', 'environment']),
  /**
   * The Sentry project whose issues are this service's, by slug or numeric id, or a list of them (issue webhooks
   * name the project by slug, issue-alert webhooks by id). Absent: Sentry never rolls this service back.
   */
  sentryProject: z.union([SentryProjectRef, z.array(SentryProjectRef).min(1)]).transform((v) => (Array.isArray(v) ? v : [v])).optional(),
}).strict();
export type ServiceSignals = z.infer<typeof ServiceSignals>;

export const DEFAULT_SIGNALS: ServiceSignals = { alertLabels: ['service', 'deckhand_service'], envLabels: ['env', 'environment'] };
