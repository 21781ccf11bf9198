import type { Config } from './schema.ts';

/** Secret values to mask in log lines wherever they appear. */
export function secretsOf(config: Pick<Config, 'runtime' | 'discord'>): string[] {
  const rt = config.runtime;
  const webhooks = (config.discord?.releases ?? []).flatMap((r) => (r.destination.kind === 'webhook' ? [r.destination.url] : []));
  return [
    rt.slack?.botToken, rt.slack?.signingSecret, rt.slack?.appToken, rt.discord?.botToken, rt.github.token, rt.github.webhookSecret,
    rt.gitlab?.token, rt.gitlab?.webhookToken,
    rt.registry?.password, rt.registry?.token, rt.apiToken, ...webhooks,
    rt.grafana?.token, rt.pagerduty?.routingKey,
    rt.signals?.alertmanagerToken, rt.signals?.sentryClientSecret,
    passwordOf(rt.redisUrl),
  ].filter((v): v is string => v !== undefined && v !== '');
}

/** The password inside a URL such as REDIS_URL (`redis://:secret@host`), which is a secret even if the URL is not. */
function passwordOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}
