import { COMMANDS } from '../../commands/index.ts';
import { isDeckhandError } from '../errors.ts';
import type { CommandIo } from './command-line.ts';
import { loadConfigOrReport } from './load-config-or-report.ts';

/** `deckhand discord register`: puts Deckhand's verbs up as slash commands. Thin: config in, one call, a line out. */
export async function runDiscordRegister(values: { config?: string }, io: CommandIo): Promise<number> {
  const config = await loadConfigOrReport(values.config);
  if (!config) return 1;
  try {
    // discord.js is loaded only for this command.
    const { registerDiscordCommands } = await import('../chat/discord/index.ts');
    const done = await registerDiscordCommands(config.runtime.discord, [...COMMANDS.values()], config.chat.botName);
    io.out.write(`Registered ${done.names.length} Discord commands (${done.scope}): ${done.names.map((n) => `/${n}`).join(' ')}\n`);
    return 0;
  } catch (e) {
    if (!isDeckhandError(e)) throw e;
    io.err.write(`deckhand discord register: ${e.userMessage}\n`);
    return 1;
  }
}
