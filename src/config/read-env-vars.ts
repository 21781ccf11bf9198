import { closestMatch } from '../../commands/grammar/closest-match.ts';
import { ENV_VAR_NAMES, EnvVars } from './schema.ts';
import type { LogLevel, Runtime } from './schema.ts';
import { ENVIRONMENT_SOURCE } from './problem.ts';
import type { ConfigProblem } from './problem.ts';

export type EnvSource = Readonly<Record<string, string | undefined>>;

/**
 * `DECKHAND_*` is our namespace, so a variable there that Deckhand does not read is a typo
 * (`DECKHAND_CONFG`), not someone else's setting.
 */
function unknownOwnVariables(env: EnvSource): ConfigProblem[] {
  return Object.keys(env)
    .filter((name) => name.startsWith('DECKHAND_') && !(ENV_VAR_NAMES as readonly string[]).includes(name))
    .sort()
    .map((name) => {
      const meant = closestMatch(name, ENV_VAR_NAMES);
      return { file: ENVIRONMENT_SOURCE, message: `${name} is not a variable Deckhand reads${meant === undefined ? '' : `; did you mean ${meant}?`}` };
    });
}

/** Steps are short I/O bursts and every wait is a delayed job, so 16 slots keep hundreds of rollouts moving. */
export const DEFAULT_WORKER_CONCURRENCY = 16;

/**
 * Validates the environment variables Deckhand knows about. Empty strings count as unset (a common result of
 * `FOO=` in compose files). Problems name the variable, never its value.
 */
export function readEnvVars(env: EnvSource): { ok: true; runtime: Runtime } | { ok: false; problems: ConfigProblem[] } {
  const unknown = unknownOwnVariables(env);
  const picked: Record<string, string> = {};
  for (const name of ENV_VAR_NAMES) {
    const value = env[name];
    if (value !== undefined && value !== '') picked[name] = value;
  }
  const parsed = EnvVars.safeParse(picked);
  if (!parsed.success || unknown.length > 0) {
    return {
      ok: false,
      problems: [...unknown, ...(parsed.error?.issues ?? []).map((issue) => {
        const name = String(issue.path[0] ?? '');
        // Our own messages name the variable; zod's defaults could echo input, so they are replaced.
        const message = issue.code === 'custom' || issue.message.startsWith(name) ? issue.message : `${name} is not valid`;
        return { file: ENVIRONMENT_SOURCE, message };
      })],
    };
  }
  const v = parsed.data;
  const runtime: Runtime = {
    port: v.PORT === undefined ? 3000 : Number(v.PORT),
    workerConcurrency: v.WORKER_CONCURRENCY === undefined ? DEFAULT_WORKER_CONCURRENCY : Number(v.WORKER_CONCURRENCY),
    inCluster: v.KUBERNETES_SERVICE_HOST !== undefined && v.KUBERNETES_SERVICE_HOST !== '',
    ...(v.DECKHAND_API_TOKEN !== undefined && { apiToken: v.DECKHAND_API_TOKEN }),
    logLevel: (v.LOG_LEVEL?.toLowerCase() ?? 'info') as LogLevel,
    github: { token: v.GITHUB_TOKEN, apiUrl: v.GITHUB_API_URL, ...(v.GITHUB_WEBHOOK_SECRET !== undefined && { webhookSecret: v.GITHUB_WEBHOOK_SECRET }) },
    ...((v.GITLAB_URL ?? v.GITLAB_TOKEN ?? v.GITLAB_WEBHOOK_TOKEN) !== undefined && {
      gitlab: {
        ...(v.GITLAB_URL !== undefined && { url: v.GITLAB_URL }),
        ...(v.GITLAB_TOKEN !== undefined && { token: v.GITLAB_TOKEN }),
        ...(v.GITLAB_WEBHOOK_TOKEN !== undefined && { webhookToken: v.GITLAB_WEBHOOK_TOKEN }),
      },
    }),
    ...((v.REGISTRY_USERNAME !== undefined || v.REGISTRY_TOKEN !== undefined) && {
      registry: { username: v.REGISTRY_USERNAME, password: v.REGISTRY_PASSWORD, token: v.REGISTRY_TOKEN },
    }),
    ...(v.REDIS_URL !== undefined && { redisUrl: v.REDIS_URL }),
    ...(v.KUBECONFIG !== undefined && { kubeconfig: v.KUBECONFIG }),
    ...(v.PROMETHEUS_URL !== undefined && { prometheusUrl: v.PROMETHEUS_URL }),
    ...(v.POLICY_URL !== undefined && { policyUrl: v.POLICY_URL }),
    ...(v.POLICY_PATH !== undefined && { policyPath: v.POLICY_PATH }),
    ...(v.GRAFANA_URL !== undefined && v.GRAFANA_TOKEN !== undefined && { grafana: { url: v.GRAFANA_URL, token: v.GRAFANA_TOKEN } }),
    ...(v.PAGERDUTY_ROUTING_KEY !== undefined && {
      pagerduty: { routingKey: v.PAGERDUTY_ROUTING_KEY, eventsUrl: v.PAGERDUTY_EVENTS_URL ?? 'https://events.pagerduty.com' },
    }),
    ...(v.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined && {
      otel: { endpoint: v.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: v.OTEL_SERVICE_NAME ?? 'deckhand' },
    }),
    ...((v.ALERTMANAGER_TOKEN ?? v.SENTRY_CLIENT_SECRET) !== undefined && {
      signals: {
        ...(v.ALERTMANAGER_TOKEN !== undefined && { alertmanagerToken: v.ALERTMANAGER_TOKEN }),
        ...(v.SENTRY_CLIENT_SECRET !== undefined && { sentryClientSecret: v.SENTRY_CLIENT_SECRET }),
      },
    }),
    ...(v.SLACK_BOT_TOKEN !== undefined && {
      slack: { botToken: v.SLACK_BOT_TOKEN, signingSecret: v.SLACK_SIGNING_SECRET, appToken: v.SLACK_APP_TOKEN, apiUrl: v.SLACK_API_URL },
    }),
    ...(v.DISCORD_BOT_TOKEN !== undefined && v.DISCORD_APPLICATION_ID !== undefined && {
      discord: { botToken: v.DISCORD_BOT_TOKEN, applicationId: v.DISCORD_APPLICATION_ID, publicKey: v.DISCORD_PUBLIC_KEY, guildId: v.DISCORD_GUILD_ID, apiUrl: v.DISCORD_API_URL },
    }),
  };
  return { ok: true, runtime };
}
