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
  /** Image registry credentials for checking that a version's image exists (Basic, or the token flow). */
  REGISTRY_USERNAME: nonEmpty('REGISTRY_USERNAME').optional(),
  REGISTRY_PASSWORD: nonEmpty('REGISTRY_PASSWORD').optional(),
  /** A registry bearer token used as is, instead of a username and password. */
  REGISTRY_TOKEN: nonEmpty('REGISTRY_TOKEN').optional(),
  PROMETHEUS_URL: httpUrl('PROMETHEUS_URL').optional(),
  POLICY_URL: httpUrl('POLICY_URL').optional(),
  /** Set by Kubernetes in every pod: Deckhand then talks to the cluster it runs in (service account). */
  KUBERNETES_SERVICE_HOST: z.string().optional(),
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
  /** Image registry credentials (secrets: never logged). */
  registry?: { username?: string; password?: string; token?: string };
  prometheusUrl?: string;
  policyUrl?: string;
};
