import { SlashCommandBuilder, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';

/** What Discord needs to know about a verb: the commands/ registry entries fit this shape. */
export interface SlashCommandSource {
  name: string;
  summary: string;
  /** `/deploy <service> <version> …`: what follows the verb becomes the option's description. */
  usage: string;
}

const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * One Discord slash command per verb, each with a single string option `args` carrying the rest of the line,
 * plus `/<botName>` taking a whole command line (`/deckhand deploy api v1.5.0`). Chosen over one subcommand per
 * verb with typed options so the Discord line is the typed line: one parser, one set of problems and suggestions,
 * and a new verb (or a new flag) needs no change here. `args` is required when the usage has a required part.
 */
export function buildSlashCommands(commands: readonly SlashCommandSource[], botName = 'deckhand'): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  const out = commands.map((c) => {
    const rest = c.usage.replace(/^\/\S+\s*/, '');
    const builder = new SlashCommandBuilder().setName(c.name).setDescription(clip(c.summary, 100));
    if (rest) {
      builder.addStringOption((o) => o.setName('args').setDescription(clip(rest, 100)).setRequired(rest.includes('<') && !rest.startsWith('[')));
    }
    return builder.toJSON();
  });
  const catchAll = new SlashCommandBuilder()
    .setName(botName.toLowerCase())
    .setDescription('Any Deckhand command, as you would type it: deploy api v1.5.0 to staging')
    .addStringOption((o) => o.setName('command').setDescription('The command line, like: deploy api v1.5.0 to staging').setRequired(true));
  return [...out, catchAll.toJSON()];
}
