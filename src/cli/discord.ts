import { parseArgs } from 'node:util';
import { COMMANDS } from '../../commands/index.ts';
import { isDeckhandError } from '../errors.ts';
import { loadConfigOrReport } from './load-config-or-report.ts';

/** The line for `deckhand help`. */
export const DISCORD_USAGE = '  deckhand discord register [--config FILE]       register the slash commands (guild ones when DISCORD_GUILD_ID is set)\n';

/** `deckhand discord register`: puts Deckhand's verbs up as slash commands. Thin: config in, one call, a line out. */
export async function runDiscordCommand(argv: readonly string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...argv], options: { config: { type: 'string' } }, allowPositionals: true });
  if (positionals[0] !== 'register' || positionals.length > 1) {
    err.write(`Usage:\n${DISCORD_USAGE}`);
    return 2;
  }
  const config = await loadConfigOrReport(values.config);
  if (!config) return 1;
  try {
    // discord.js is loaded only for this command: every `deckhand start` imports this file for its usage line.
    const { registerDiscordCommands } = await import('../chat/discord/index.ts');
    const done = await registerDiscordCommands(config.runtime.discord, [...COMMANDS.values()], config.chat.botName);
    out.write(`Registered ${done.names.length} Discord commands (${done.scope}): ${done.names.map((n) => `/${n}`).join(' ')}\n`);
    return 0;
  } catch (e) {
    if (!isDeckhandError(e)) throw e;
    err.write(`deckhand: ${e.userMessage}\n`);
    return 1;
  }
}
