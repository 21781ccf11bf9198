import { COMMANDS } from '../../commands/index.ts';
import { registerDiscordCommands } from '../chat/discord/index.ts';
import { isDeckhandError } from '../errors.ts';
import { loadConfigOrReport } from './load-config-or-report.ts';

export const DISCORD_USAGE = 'deckhand discord register [--config FILE]    register the slash commands (guild ones when DISCORD_GUILD_ID is set)';

/** `deckhand discord register`: puts Deckhand's verbs up as slash commands. Thin: config in, one call, a line out. */
export async function runDiscordCommand(args: readonly string[], config?: string): Promise<number> {
  if (args[0] !== 'register') {
    process.stderr.write(`Usage: ${DISCORD_USAGE}\n`);
    return 2;
  }
  const loaded = await loadConfigOrReport(config);
  if (!loaded) return 1;
  try {
    const done = await registerDiscordCommands(loaded.runtime.discord, [...COMMANDS.values()], loaded.chat.botName);
    process.stdout.write(`Registered ${done.names.length} Discord commands (${done.scope}): ${done.names.map((n) => `/${n}`).join(' ')}\n`);
    return 0;
  } catch (err) {
    if (!isDeckhandError(err)) throw err;
    process.stderr.write(`deckhand: ${err.userMessage}\n`);
    return 1;
  }
}
