import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const httpUrl = (name: string) => z.string().refine((v) => {
  try {
    const url = new URL(v);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}, `${name} must be an http:// or https:// URL`);

const nonEmpty = (name: string) => z.string().min(1, `${name} is set but empty`);
const prefixed = (name: string, prefix: string) => z.string().refine((v) => v.startsWith(prefix), `${name} should start with \`${prefix}\``);

/**
 * The environment variables Deckhand reads, as given. Messages name the variable and never its value,
 * because several are secrets.
 */
export const EnvVars = z.object({
  DECKHAND_CONFIG: nonEmpty('DECKHAND_CONFIG').optional(),
  REDIS_URL: z.string().refine((v) => {
    try {
      const url = new URL(v);
      return url.protocol === 'redis:' || url.protocol === 'rediss:';
    } catch {
      return false;
    }
  }, 'REDIS_URL must be a redis:// or rediss:// URL').optional(),
  KUBECONFIG: nonEmpty('KUBECONFIG').optional(),
  PORT: z.string().refine((v) => /^\d{1,5}$/.test(v) && Number(v) >= 1 && Number(v) <= 65535, 'PORT must be a whole number from 1 to 65535').optional(),
  /** Job slots of this process's worker: steps run only briefly (waits are delayed jobs), so a slot is rarely held. */
  WORKER_CONCURRENCY: z.string().refine((v) => /^\d{1,4}$/.test(v) && Number(v) >= 1 && Number(v) <= 1000, 'WORKER_CONCURRENCY must be a whole number from 1 to 1000').optional(),
  LOG_LEVEL: z.string().refine((v) => (LOG_LEVELS as readonly string[]).includes(v.toLowerCase()), `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`).optional(),
  SLACK_SIGNING_SECRET: nonEmpty('SLACK_SIGNING_SECRET').optional(),
  SLACK_BOT_TOKEN: prefixed('SLACK_BOT_TOKEN', 'xoxb-').optional(),
  SLACK_APP_TOKEN: prefixed('SLACK_APP_TOKEN', 'xapp-').optional(),
  SLACK_API_URL: httpUrl('SLACK_API_URL').optional(),
  DISCORD_BOT_TOKEN: nonEmpty('DISCORD_BOT_TOKEN').optional(),
  DISCORD_APPLICATION_ID: z.string().regex(/^\d+$/, 'DISCORD_APPLICATION_ID must be the numeric application id').optional(),
  DISCORD_PUBLIC_KEY: z.string().regex(/^[0-9a-fA-F]{64}$/, 'DISCORD_PUBLIC_KEY must be 64 hex characters').optional(),
  DISCORD_GUILD_ID: z.string().regex(/^\d+$/, 'DISCORD_GUILD_ID must be a numeric guild id').optional(),
  DISCORD_API_URL: httpUrl('DISCORD_API_URL').optional(),
  GITHUB_TOKEN: nonEmpty('GITHUB_TOKEN').optional(),
  GITHUB_API_URL: httpUrl('GITHUB_API_URL').optional(),
  /** The secret of the repository webhook that sends `workflow_run` events; without it builds are polled. */
  GITHUB_WEBHOOK_SECRET: nonEmpty('GITHUB_WEBHOOK_SECRET').optional(),
  /** Self-hosted GitLab (`https://gitlab.example.com`); default https://gitlab.com once GitLab is used. */
  GITLAB_URL: httpUrl('GITLAB_URL').optional(),
  /** A GitLab access token (api scope) for tags, pipelines, merge requests and deployments. */
  GITLAB_TOKEN: nonEmpty('GITLAB_TOKEN').optional(),
  /** The secret token of the project webhook that sends Pipeline Hook events (X-Gitlab-Token); without it pipelines are polled. */
  GITLAB_WEBHOOK_TOKEN: nonEmpty('GITLAB_WEBHOOK_TOKEN').optional(),
  /** Image registry credentials for checking that a version's image exists (Basic, or the token flow). */
  REGISTRY_USERNAME: nonEmpty('REGISTRY_USERNAME').optional(),
  REGISTRY_PASSWORD: nonEmpty('REGISTRY_PASSWORD').optional(),
  /** A registry bearer token used as is, instead of a username and password. */
  REGISTRY_TOKEN: nonEmpty('REGISTRY_TOKEN').optional(),
  PROMETHEUS_URL: httpUrl('PROMETHEUS_URL').optional(),
  POLICY_URL: httpUrl('POLICY_URL').optional(),
  /** The embedded engine's policies: a folder of .rego files and data.json, or an OPA bundle (.tar.gz). */
  POLICY_PATH: nonEmpty('POLICY_PATH').optional(),
  /** Set by Kubernetes in every pod: Deckhand then talks to the cluster it runs in (service account). */
  KUBERNETES_SERVICE_HOST: z.string().optional(),
  /** Bearer token Alertmanager sends to /alertmanager/webhook (http_config.authorization); absent: the endpoint is off. */
  ALERTMANAGER_TOKEN: z.string().min(16, 'ALERTMANAGER_TOKEN must be at least 16 characters').optional(),
  /** The Sentry integration's client secret, which signs /sentry/webhook deliveries; absent: the endpoint is off. */
  SENTRY_CLIENT_SECRET: nonEmpty('SENTRY_CLIENT_SECRET').optional(),
  /** Grafana (`https://grafana.example.com`): deploy annotations, with GRAFANA_TOKEN (a service account's token). */
  GRAFANA_URL: httpUrl('GRAFANA_URL').optional(),
  GRAFANA_TOKEN: nonEmpty('GRAFANA_TOKEN').optional(),
  /** PagerDuty Events API v2 integration key: a change event per deploy marker. */
  PAGERDUTY_ROUTING_KEY: nonEmpty('PAGERDUTY_ROUTING_KEY').optional(),
  /** Where PagerDuty's Events API is (default https://events.pagerduty.com). */
  PAGERDUTY_EVENTS_URL: httpUrl('PAGERDUTY_EVENTS_URL').optional(),
  /** An OTLP/HTTP receiver (collector, Jaeger, Tempo) at its base URL: each deploy is exported as one trace. */
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl('OTEL_EXPORTER_OTLP_ENDPOINT').optional(),
  /** The `service.name` of Deckhand's spans (default `deckhand`). */
  OTEL_SERVICE_NAME: nonEmpty('OTEL_SERVICE_NAME').optional(),
  /** Bearer token for the read-only JSON API (/api/…); absent: the API is off. */
  DECKHAND_API_TOKEN: z.string().min(16, 'DECKHAND_API_TOKEN must be at least 16 characters').optional(),
}).superRefine((env, ctx) => {
  const slackSet = env.SLACK_SIGNING_SECRET !== undefined || env.SLACK_BOT_TOKEN !== undefined || env.SLACK_APP_TOKEN !== undefined;
  if (slackSet && env.SLACK_BOT_TOKEN === undefined) {
    ctx.addIssue({ code: 'custom', path: ['SLACK_BOT_TOKEN'], message: 'SLACK_BOT_TOKEN is required when Slack is configured' });
  }
  if (slackSet && env.SLACK_SIGNING_SECRET === undefined && env.SLACK_APP_TOKEN === undefined) {
    ctx.addIssue({ code: 'custom', path: ['SLACK_SIGNING_SECRET'], message: 'Slack needs SLACK_SIGNING_SECRET (HTTP events) or SLACK_APP_TOKEN (socket mode)' });
  }
  if (env.DISCORD_BOT_TOKEN !== undefined && env.DISCORD_APPLICATION_ID === undefined) {
    ctx.addIssue({ code: 'custom', path: ['DISCORD_APPLICATION_ID'], message: 'DISCORD_APPLICATION_ID is required when DISCORD_BOT_TOKEN is set' });
  }
  if ((env.REGISTRY_USERNAME === undefined) !== (env.REGISTRY_PASSWORD === undefined)) {
    const missing = env.REGISTRY_USERNAME === undefined ? 'REGISTRY_USERNAME' : 'REGISTRY_PASSWORD';
    ctx.addIssue({ code: 'custom', path: [missing], message: 'REGISTRY_USERNAME and REGISTRY_PASSWORD go together: set both or neither' });
  }
  if ((env.GRAFANA_URL === undefined) !== (env.GRAFANA_TOKEN === undefined)) {
    const missing = env.GRAFANA_URL === undefined ? 'GRAFANA_URL' : 'GRAFANA_TOKEN';
    ctx.addIssue({ code: 'custom', path: [missing], message: 'GRAFANA_URL and GRAFANA_TOKEN go together: set both or neither' });
  }
  if (env.PAGERDUTY_EVENTS_URL !== undefined && env.PAGERDUTY_ROUTING_KEY === undefined) {
    ctx.addIssue({ code: 'custom', path: ['PAGERDUTY_ROUTING_KEY'], message: 'PAGERDUTY_ROUTING_KEY is required when PAGERDUTY_EVENTS_URL is set' });
  }
  if (env.DISCORD_BOT_TOKEN === undefined && env.DISCORD_APPLICATION_ID !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['DISCORD_BOT_TOKEN'], message: 'DISCORD_BOT_TOKEN is required when DISCORD_APPLICATION_ID is set' });
  }
});
export type EnvVars = z.infer<typeof EnvVars>;

export const ENV_VAR_NAMES = Object.keys(EnvVars.shape) as readonly (keyof EnvVars)[];

export type LogLevel = (typeof LOG_LEVELS)[number];

/** Settings from the process environment, grouped by the part of Deckhand that needs them. */
export type Runtime = {
  /** Absent means: the sandbox spawns its own redis-server. */
  redisUrl?: string;
  kubeconfig?: string;
  /** Running in a pod: the cluster is the one Deckhand runs in (client-node's in-cluster config). */
  inCluster: boolean;
  /** DECKHAND_API_TOKEN: bearer token of the read-only JSON API (a secret: never logged). */
  apiToken?: string;
  port: number;
  /** WORKER_CONCURRENCY: how many deploy steps this process runs at once. */
  workerConcurrency: number;
  logLevel: LogLevel;
  slack?: { botToken: string; signingSecret?: string; appToken?: string; apiUrl?: string };
  discord?: { botToken: string; applicationId: string; publicKey?: string; guildId?: string; apiUrl?: string };
  github: { token?: string; apiUrl?: string; webhookSecret?: string };
  /** GITLAB_URL (the instance root, without /api/v4), GITLAB_TOKEN and GITLAB_WEBHOOK_TOKEN (secrets: never logged). */
  /** Absent when no GITLAB_* variable is set. */
  gitlab?: { url?: string; token?: string; webhookToken?: string };
  /** Image registry credentials (secrets: never logged). */
  registry?: { username?: string; password?: string; token?: string };
  prometheusUrl?: string;
  policyUrl?: string;
  policyPath?: string;
  /** GRAFANA_URL + GRAFANA_TOKEN (the token is a secret: never logged). */
  grafana?: { url: string; token: string };
  /** PAGERDUTY_ROUTING_KEY (a secret) and the Events API's base URL. */
  pagerduty?: { routingKey: string; eventsUrl: string };
  /** OTEL_EXPORTER_OTLP_ENDPOINT (base URL; traces go to `/v1/traces`) and OTEL_SERVICE_NAME. */
  otel?: { endpoint: string; serviceName: string };
  /** ALERTMANAGER_TOKEN and SENTRY_CLIENT_SECRET (secrets: never logged); each absent turns its webhook off. */
  signals?: { alertmanagerToken?: string; sentryClientSecret?: string };
};
