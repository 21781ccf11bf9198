import { createReleaseNotifier, type DiscordAdapter, type ReleaseNotice } from '../../src/chat/discord/index.ts';
import {
  buttonInteraction, createInteractionSigner, sendInteraction, slashCommandInteraction, startDiscordApiServer,
  type DiscordApiServer, type InteractionAnswer, type InteractionSigner, type SimDiscordMessage, type SimDiscordUser,
} from '@deckhand/sim/discord';
import { startWorld, WORLD_CONFIG, worldConfig, type World } from './world.ts';

export const APP_ID = '900000000000000001';
export const GUILD_ID = '900000000000000002';
export const CHANNEL = '900000000000000010';
export const RELEASES_CHANNEL = '900000000000000020';
export const BOT_TOKEN = 'sim-bot-token.abc';

/** Discord users named like the world's config groups (payments: alice, dave; approvers: bob, carol, alice). */
export const USERS = {
  alice: { id: '100000000000000001', username: 'alice', global_name: 'Alice A.' },
  bob: { id: '100000000000000002', username: 'bob' },
  erin: { id: '100000000000000005', username: 'erin' },
} satisfies Record<string, SimDiscordUser>;

export interface DiscordWorld {
  world: World;
  discord: DiscordApiServer;
  adapter: DiscordAdapter;
  signer: InteractionSigner;
  /** Release notices sent so far (the lead's wiring: every deploy end → notifier.notify). */
  notices: ReleaseNotice[];
  /** `/name args…` typed by `user` in the deploy channel, delivered signed to Deckhand's endpoint. */
  slash(user: SimDiscordUser, name: string, args?: string): Promise<InteractionAnswer & { token: string }>;
  /** A click on a button of message `messageId` (an ephemeral answer to a click on `interactedMessageId`, if given). */
  click(user: SimDiscordUser, customId: string, messageId: string, o?: { interactedMessageId?: string }): Promise<InteractionAnswer & { token: string }>;
  /** The deploy card message of a deploy (the bot message in the channel whose footer names it). */
  card(deployId: string): SimDiscordMessage | undefined;
  /** Waits until `check` returns something truthy. */
  eventually<T>(check: () => T | undefined | false, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

/**
 * The console world (real redis, simulated cluster, shipped policies), with Discord as its chat: the simulated
 * Discord API behind discord.js, Deckhand's interactions endpoint on its own port, interactions signed with a
 * generated application key, and release notices routed to a webhook channel.
 */
export async function startDiscordWorld(): Promise<DiscordWorld> {
  const discord = await startDiscordApiServer({ botToken: BOT_TOKEN });
  const signer = createInteractionSigner();
  const webhook = discord.webhookUrl(RELEASES_CHANNEL);
  const config = worldConfig(`${WORLD_CONFIG}\ndiscord:\n  releases:\n    - { teams: [payments], webhook: '${webhook}' }\n`, {
    DISCORD_BOT_TOKEN: BOT_TOKEN, DISCORD_APPLICATION_ID: APP_ID, DISCORD_PUBLIC_KEY: signer.publicKeyHex, DISCORD_API_URL: discord.apiUrl,
  });
  // The release notices the config routes, with stand-in release notes (no GitHub here), kept for the test to read.
  const notifier = createReleaseNotifier({ config });
  const notices: ReleaseNotice[] = [];
  const notify = async (...[d, extras]: Parameters<typeof notifier.notify>): Promise<ReleaseNotice> => {
    const notice = await notifier.notify(d, { ...extras, releaseNotes: `- change for ${d.id}` });
    notices.push(notice);
    return notice;
  };
  // The app as production builds it (main.ts) from DISCORD_*; its interactions endpoint on a port of its own here.
  const world = await startWorld({ config, deckhand: { chat: { discord: { port: 0, cardIntervalMs: 100 } }, notifier: { notify } } });
  const adapter = world.app.discord;
  if (!adapter) throw new Error('the app built no Discord adapter');

  const deliver = async (interaction: { token: string; channel_id: string }) => {
    discord.bindInteraction(interaction.token, interaction.channel_id);
    return { ...(await sendInteraction(adapter.url!, interaction, signer)), token: interaction.token };
  };
  const where = (user: SimDiscordUser) => ({ user, channelId: CHANNEL, guildId: GUILD_ID, applicationId: APP_ID });

  return {
    world, discord, adapter, signer, notices,
    slash: (user, name, args) => deliver(slashCommandInteraction({ ...where(user), name, options: args === undefined ? {} : { args } })),
    click: (user, customId, messageId, o = {}) => deliver(buttonInteraction({ ...where(user), customId, messageId, ...o })),
    card: (deployId) => discord.channelMessages(CHANNEL).find((m) => (m.embeds as { footer?: { text?: string } }[])[0]?.footer?.text === `Deploy #${deployId}`),
    async eventually(check, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const v = check();
        if (v) return v;
        if (Date.now() > deadline) throw new Error('timed out waiting');
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async stop() {
      await world.stop();
      await notifier.close();
      await discord.close();
    },
  };
}
