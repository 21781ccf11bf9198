import { randomBytes } from 'node:crypto';

/** A Discord user as interactions carry it (the fields Deckhand reads). */
export interface SimDiscordUser {
  id: string;
  username: string;
  global_name?: string;
}

interface Where {
  user: SimDiscordUser;
  channelId: string;
  guildId?: string;
  applicationId: string;
}

let counter = 0;
function ids(): { id: string; token: string } {
  counter++;
  return { id: String(1_200_000_000_000_000_000n + BigInt(Date.now()) * 1000n + BigInt(counter % 1000)), token: `itok_${randomBytes(24).toString('base64url')}` };
}

function base(w: Where) {
  return {
    ...ids(),
    application_id: w.applicationId,
    channel_id: w.channelId,
    channel: { id: w.channelId, type: 0 },
    version: 1,
    locale: 'en-US',
    app_permissions: '0',
    entitlements: [],
    authorizing_integration_owners: {},
    // In a guild the user comes inside `member`; in a DM at the top level, as on Discord.
    ...(w.guildId ? { guild_id: w.guildId, member: { user: w.user, roles: [], permissions: '0', joined_at: new Date(0).toISOString() } } : { user: w.user }),
  };
}

/** A PING, which Discord sends when the endpoint URL is saved in the developer portal. */
export function pingInteraction(applicationId: string) {
  return { ...ids(), type: 1, application_id: applicationId, version: 1 };
}

/** `/name value`: an APPLICATION_COMMAND (type 2) with string options, as Discord delivers a slash command. */
export function slashCommandInteraction(w: Where & { name: string; options?: Record<string, string> }) {
  return {
    ...base(w),
    type: 2,
    data: {
      id: String(1_100_000_000_000_000_000n + BigInt(w.name.length)),
      name: w.name,
      type: 1,
      options: Object.entries(w.options ?? {}).map(([name, value]) => ({ name, type: 3, value })),
    },
  };
}

/**
 * A button click: a MESSAGE_COMPONENT (type 3) naming the button's custom_id and the message it is on. With
 * `interactedMessageId`, that message is the ephemeral answer to a click on another message (an "are you sure?"),
 * and carries Discord's `interaction_metadata` pointing at it.
 */
export function buttonInteraction(w: Where & { customId: string; messageId: string; interactedMessageId?: string }) {
  const metadata = w.interactedMessageId === undefined ? {} : {
    flags: 64, interaction_metadata: { id: ids().id, type: 3, user: w.user, authorizing_integration_owners: {}, interacted_message_id: w.interactedMessageId },
  };
  return {
    ...base(w),
    type: 3,
    message: { id: w.messageId, channel_id: w.channelId, ...metadata },
    data: { custom_id: w.customId, component_type: 2 },
  };
}
