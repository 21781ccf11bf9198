import { Routes } from 'discord.js';
import type { Runtime } from '../../config/index.ts';
import { DeckhandError } from '../../errors.ts';
import { buildSlashCommands, type SlashCommandSource } from './build-slash-commands.ts';
import { createDiscordRest } from './create-discord-rest.ts';
import { toDiscordError } from './to-discord-error.ts';

export interface RegisteredCommands {
  /** `guild <id>` when DISCORD_GUILD_ID is set (they appear at once), else `global` (may take a while to show). */
  scope: string;
  names: string[];
}

/**
 * `deckhand discord register`: replaces the application's slash commands with Deckhand's verbs (a bulk PUT, so
 * running it twice is harmless and removed verbs disappear). Guild commands when DISCORD_GUILD_ID is set.
 */
export async function registerDiscordCommands(discord: Runtime['discord'], commands: readonly SlashCommandSource[], botName?: string): Promise<RegisteredCommands> {
  if (!discord) throw new DeckhandError('config_invalid', 'Set DISCORD_BOT_TOKEN and DISCORD_APPLICATION_ID to register Discord commands.');
  const rest = createDiscordRest({ botToken: discord.botToken, apiUrl: discord.apiUrl });
  const body = buildSlashCommands(commands, botName);
  const route = discord.guildId ? Routes.applicationGuildCommands(discord.applicationId, discord.guildId) : Routes.applicationCommands(discord.applicationId);
  try {
    const registered = await rest.put(route, { body }) as { name: string }[];
    return { scope: discord.guildId ? `guild ${discord.guildId}` : 'global', names: registered.map((c) => c.name) };
  } catch (err) {
    throw toDiscordError(err, 'register the Discord slash commands');
  }
}
