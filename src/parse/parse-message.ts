import { COMMANDS, commandWords, findCommand } from '../../commands/index.ts';
import type { CommandRegistry } from '../../commands/index.ts';
import { closestMatch } from '../../commands/grammar/closest-match.ts';
import { quoteWord } from '../../commands/grammar/suggest-line.ts';
import { listNames, shown } from '../../commands/grammar/format-words.ts';
import { readAddress } from './read-address.ts';
import type { ParseProblem } from './schema.ts';
import { tokenize } from './tokenize.ts';
import type { ParseContext, ParseOutcome } from './types.ts';

/** Longer messages are refused before tokenizing: no command is this long, and it bounds the work per message. */
export const MAX_COMMAND_LENGTH = 4000;

function problem(p: ParseProblem): ParseOutcome {
  return { kind: 'problem', problem: p };
}

/**
 * Reads one chat message into a Command, a ParseProblem for the person who typed it, or `not_for_us` for
 * ordinary conversation. Never throws, for any string.
 *
 * A message is for Deckhand when it names the bot (`@deckhand …`, `<@U123> …`, `/deckhand …`), starts with a
 * known `/verb` (or a near miss of one), or arrives where everything is addressed (`ctx.addressed`: DMs and the
 * console). An unknown `/word` in a channel is left alone, so `/shrug` or a pasted path gets no reply.
 * Naming the bot with nothing after it is taken as `/help`.
 */
export function parseMessage(text: string, ctx: ParseContext, registry: CommandRegistry = COMMANDS): ParseOutcome {
  try {
    return parseUnsafe(typeof text === 'string' ? text : '', ctx, registry);
  } catch {
    // A bug in a grammar must not take down the chat handler; the person still gets an answer.
    return problem({ code: 'parse_invalid_argument', message: 'Sorry, I could not read that command. Try `/help`.' });
  }
}

function parseUnsafe(text: string, ctx: ParseContext, registry: CommandRegistry): ParseOutcome {
  const address = readAddress(text.length > MAX_COMMAND_LENGTH * 4 ? text.slice(0, MAX_COMMAND_LENGTH * 4) : text, ctx);
  if (address.kind === 'none') return { kind: 'not_for_us' };
  if (address.kind === 'slash' && /^\s/.test(address.rest) && !ctx.addressed) return { kind: 'not_for_us' };

  const tokens = tokenize(address.rest.length > MAX_COMMAND_LENGTH ? address.rest.slice(0, MAX_COMMAND_LENGTH + 1) : address.rest);
  const [verbToken, ...args] = tokens;
  if (verbToken === undefined) return { kind: 'command', command: { verb: 'help' } };

  const spec = verbToken.quoted ? undefined : findCommand(registry, verbToken.text);
  if (spec === undefined) {
    const word = verbToken.text.replace(/^\//, '');
    const near = closestMatch(word, commandWords(registry));
    const nearSpec = near === undefined ? undefined : findCommand(registry, near);
    if (address.kind === 'slash' && !ctx.addressed && nearSpec === undefined) return { kind: 'not_for_us' };
    const typed = address.kind === 'slash' ? `/${shown(word)}` : shown(word);
    if (nearSpec !== undefined) {
      const shownNear = address.kind === 'slash' ? `/${near}` : near;
      return problem({
        code: 'parse_unknown_command',
        message: `Unknown command \`${typed}\`. Did you mean \`${shownNear}\`?`,
        suggestion: [`/${nearSpec.name}`, ...args.map((t) => quoteWord(t.text))].join(' '),
        usage: nearSpec.usage,
      });
    }
    return problem({
      code: 'parse_unknown_command',
      message: `Unknown command \`${typed}\`. Try \`/help\` to see what I can do.`,
      hint: `Commands: ${listNames([...registry.keys()].map((v) => `/${v}`))}.`,
    });
  }

  if (address.rest.length > MAX_COMMAND_LENGTH) {
    return problem({
      code: 'parse_invalid_argument',
      message: `That message is too long for a command (over ${MAX_COMMAND_LENGTH} characters). Keep the reason shorter.`,
      usage: spec.usage,
    });
  }

  const outcome = spec.parse(args, { ...ctx, registry });
  if (outcome.kind === 'problem') return outcome;
  // The grammar promises its schema's shape; checking here means nothing half-parsed ever leaves the parser.
  const checked = spec.schema.safeParse(outcome.command);
  if (!checked.success) {
    return problem({ code: 'parse_invalid_argument', message: `Sorry, I could not make sense of that \`/${spec.name}\` command.`, usage: spec.usage });
  }
  return { kind: 'command', command: checked.data };
}
