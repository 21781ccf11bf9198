import type { DiscordAdapter, DiscordAdapterOptions, ReleaseNotifier } from '../chat/discord/index.ts';
import type { SlackAdapter, SlackAdapterOptions } from '../chat/slack/index.ts';
import type { Config } from '../config/index.ts';
import type { Logger } from '../telemetry/index.ts';
import type { DeployTracer } from '../telemetry/deploy-tracer.ts';

// The SDKs of a platform are loaded only when it is configured: each costs tens of MB of memory at rest.

/** Slack from SLACK_* (HTTP mode is mounted on the one HTTP server; Socket Mode dials out) and `chat.slack`. */
export async function slackAdapterOf(config: Config, log: Logger, tuning: Partial<SlackAdapterOptions> = {}): Promise<SlackAdapter | undefined> {
  const s = config.runtime.slack;
  if (!s) return undefined;
  const { createSlackAdapter } = await import('../chat/slack/index.ts');
  return createSlackAdapter({
    botToken: s.botToken,
    ...(s.signingSecret !== undefined && { signingSecret: s.signingSecret }),
    ...(s.appToken !== undefined && { appToken: s.appToken }),
    ...(s.apiUrl !== undefined && { apiUrl: s.apiUrl }),
    listen: false,
    approvalEmoji: config.chat.slack?.approvalEmoji ?? 'white_check_mark',
    userGroups: config.chat.slack?.userGroups ?? true,
    log,
    ...tuning,
  });
}

/** Discord interactions from DISCORD_* (mounted on the one HTTP server). */
export async function discordAdapterOf(config: Config, log: Logger, tuning: Partial<DiscordAdapterOptions> = {}): Promise<DiscordAdapter | undefined> {
  const d = config.runtime.discord;
  if (!d) return undefined;
  const { createDiscordAdapter } = await import('../chat/discord/index.ts');
  return createDiscordAdapter({ ...d, log, ...tuning });
}

/** Release notices to the `discord.releases` routes, by webhook or as the bot; none without routes. */
export async function releaseNotifierOf(config: Config, log: Logger): Promise<ReleaseNotifier | undefined> {
  if (!config.discord?.releases.length) return undefined;
  const { createReleaseNotifier } = await import('../chat/discord/index.ts');
  return createReleaseNotifier({ config, log });
}

/** Deckhand's own traces over OTLP/HTTP: the OpenTelemetry SDK is loaded only when an endpoint is configured. */
export async function deployTracerOf(otel: { endpoint: string; serviceName: string }, log: Logger, tuning: { batchDelayMs?: number } = {}): Promise<DeployTracer> {
  const { createDeployTracer } = await import('../telemetry/deploy-tracer.ts');
  return createDeployTracer({ ...otel, ...tuning, onError: (err) => log.warn({ err }, 'trace export failed') });
}
