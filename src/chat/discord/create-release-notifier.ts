import { WebhookClient, Routes, type REST } from 'discord.js';
import type { Config } from '../../config/index.ts';
import type { DiscordReleaseRoute, ReleaseOutcome } from '../../config/schema.ts';
import type { Deploy } from '../../deploy/index.ts';
import { DeckhandError } from '../../errors.ts';
import { createDiscordRest, DEFAULT_DISCORD_API } from './create-discord-rest.ts';
import { releaseOutcomeOf, renderReleaseEmbed, type ReleaseExtras } from './render-release-embed.ts';
import { toDiscordError } from './to-discord-error.ts';

export interface ReleaseNotifierOptions {
  config: Pick<Config, 'services' | 'runtime'> & { discord?: Config['discord'] };
  log?: { error(o: object, msg: string): void };
}

export interface ReleaseNotice {
  /** Undefined when the deploy released nothing (denied, expired) or has not ended. */
  outcome: ReleaseOutcome | undefined;
  /** The destinations notified, named by their rule (`discord.releases[0] (webhook)`), never by URL. */
  delivered: string[];
  failed: { destination: string; error: DeckhandError }[];
}

export interface ReleaseNotifier {
  /**
   * Posts the release embed for a finished deploy to every route that matches it. Never throws: failures are
   * logged (without webhook URLs) and returned. Call it once per deploy end, from the process that ended it.
   */
  notify(deploy: Deploy, extras?: ReleaseExtras): Promise<ReleaseNotice>;
  close(): Promise<void>;
}

type Destination = DiscordReleaseRoute['destination'];

function matches(route: DiscordReleaseRoute, d: Deploy, team: string | undefined, outcome: ReleaseOutcome): boolean {
  return (!route.services || route.services.includes(d.service))
    && (!route.teams || (team !== undefined && route.teams.includes(team)))
    && (!route.environments || route.environments.includes(d.env))
    && (!route.outcomes || route.outcomes.includes(outcome));
}

/**
 * The API root a webhook URL belongs to: DISCORD_API_URL when set (every call goes there), otherwise the URL's
 * own `…/api` (discord.com, or the simulated Discord the sandbox hands out).
 */
function webhookParts(url: string, apiUrl: string | undefined): { id: string; token: string; api: string } {
  const u = new URL(url);
  const m = /^(.*?)(?:\/v\d+)?\/webhooks\/(\d+)\/([\w-]+)\/?$/.exec(u.pathname);
  if (!m) throw new DeckhandError('config_invalid', 'A discord.releases webhook is not a Discord webhook URL.');
  return { id: m[2]!, token: m[3]!, api: apiUrl ?? (u.hostname.endsWith('discord.com') ? DEFAULT_DISCORD_API : `${u.origin}${m[1]}`) };
}

/**
 * Release notifications on Discord: for success, failure, abort and rollback, an embed per deploy sent to the
 * channels `discord.releases` routes it to — by webhook (discord.js WebhookClient) or as the bot. Channel routes
 * need DISCORD_BOT_TOKEN; that is checked here, at startup, not at the first release.
 */
export function createReleaseNotifier(options: ReleaseNotifierOptions): ReleaseNotifier {
  const routes = options.config.discord?.releases ?? [];
  const runtime = options.config.runtime.discord;
  const needsBot = routes.findIndex((r) => r.destination.kind === 'channel');
  if (needsBot >= 0 && !runtime) {
    throw new DeckhandError('config_invalid', `discord.releases[${needsBot}] posts to a channel as the bot: set DISCORD_BOT_TOKEN and DISCORD_APPLICATION_ID, or use a webhook.`);
  }
  const bot: REST | undefined = runtime ? createDiscordRest({ botToken: runtime.botToken, apiUrl: runtime.apiUrl }) : undefined;
  const webhooks = new Map<string, WebhookClient>();

  function webhookFor(url: string): WebhookClient {
    let client = webhooks.get(url);
    if (!client) {
      const { id, token, api } = webhookParts(url, runtime?.apiUrl);
      client = new WebhookClient({ id, token }, { rest: { api, version: '10', retries: 2, timeout: 15_000 }, allowedMentions: { parse: [] } });
      webhooks.set(url, client);
    }
    return client;
  }

  async function send(dest: Destination, embed: ReturnType<typeof renderReleaseEmbed>): Promise<void> {
    switch (dest.kind) {
      case 'webhook':
        await webhookFor(dest.url).send({ embeds: [embed], username: 'Deckhand', allowedMentions: { parse: [] } });
        return;
      case 'channel':
        await bot!.post(Routes.channelMessages(dest.channelId), { body: { embeds: [embed], allowed_mentions: { parse: [] } } });
        return;
      default: {
        const never: never = dest;
        return never;
      }
    }
  }

  return {
    async notify(deploy, extras = {}) {
      const outcome = releaseOutcomeOf(deploy);
      const notice: ReleaseNotice = { outcome, delivered: [], failed: [] };
      if (!outcome) return notice;
      const team = options.config.services[deploy.service]?.team;
      const seen = new Set<string>();
      const targets: { name: string; dest: Destination }[] = [];
      routes.forEach((route, i) => {
        const key = route.destination.kind === 'webhook' ? route.destination.url : `channel:${route.destination.channelId}`;
        if (!matches(route, deploy, team, outcome) || seen.has(key)) return;
        seen.add(key);
        targets.push({ name: `discord.releases[${i}] (${route.destination.kind === 'webhook' ? 'webhook' : `channel ${route.destination.channelId}`})`, dest: route.destination });
      });
      if (!targets.length) return notice;
      const embed = renderReleaseEmbed(deploy, outcome, extras);
      await Promise.all(targets.map(async ({ name, dest }) => {
        try {
          await send(dest, embed);
          notice.delivered.push(name);
        } catch (err) {
          const error = toDiscordError(err, `post the release notice of deploy #${deploy.id} to ${name}`);
          notice.failed.push({ destination: name, error });
          options.log?.error({ code: error.code, cause: error.cause, deployId: deploy.id, destination: name }, 'discord release notice failed');
        }
      }));
      return notice;
    },
    async close() {
      for (const client of webhooks.values()) client.destroy();
      webhooks.clear();
    },
  };
}
