import { HelpCommand } from './schema.ts';
import type { CommandSpec } from './spec.ts';
import { closestMatch } from './grammar/closest-match.ts';
import { commandWords, findCommand } from './find-command.ts';
import { positional } from './grammar/positional.ts';
import { passOn, unknownCommand } from './grammar/problem.ts';
import { lineWith } from './grammar/suggest-line.ts';
import { shown } from './grammar/format-words.ts';
import { takeFlags } from './grammar/take-flags.ts';
import { unexpectedWord } from './grammar/unexpected.ts';

const usage = '/help [<command>]';

/** `/help` lists the registry; `/help deploy` (or `/help /deploy`, or an alias) shows one command. */
export const help: CommandSpec<'help'> = {
  name: 'help',
  policy: { kind: 'read' },
  aliases: ['commands', '?'],
  summary: 'List the commands, or explain one.',
  usage,
  examples: ['/help', '/help deploy'],
  schema: HelpCommand,
  parse(args, ctx) {
    const taken = takeFlags('help', usage, args, []);
    if (taken.kind === 'problem') return passOn(taken);
    const words = positional('help', usage, args, taken.value.positions);
    const topic = words.token(0);
    if (topic === undefined) return { kind: 'command', command: { verb: 'help' } };
    if (words.count > 1) return unexpectedWord(words.where(1), '`/help` explains one command at a time.');
    const spec = findCommand(ctx.registry, topic.text);
    if (spec !== undefined) return { kind: 'command', command: { verb: 'help', topic: spec.name } };
    const near = closestMatch(topic.text.replace(/^\//, ''), commandWords(ctx.registry));
    const nearSpec = near === undefined ? undefined : findCommand(ctx.registry, near);
    const typed = `/${shown(topic.text.replace(/^\//, ''))}`;
    if (nearSpec !== undefined) {
      return unknownCommand(`There is no command \`${typed}\`. Did you mean \`/${nearSpec.name}\`?`, {
        suggestion: lineWith('help', args, words.where(0).index, nearSpec.name),
        usage,
      });
    }
    return unknownCommand(`There is no command \`${typed}\`. \`/help\` lists them all.`, { suggestion: '/help', usage });
  },
};
