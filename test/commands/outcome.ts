import { parseMessage } from '../../src/parse/index.ts';
import type { Command, ParseContext } from '../../src/parse/index.ts';
import type { ParseProblem } from '../../src/parse/schema.ts';
import { channel } from '../parse/context.ts';

/** The command a message parses to; fails the test with the problem otherwise. */
export function commandOf(text: string, ctx: ParseContext = channel): Command {
  const outcome = parseMessage(text, ctx);
  if (outcome.kind !== 'command') throw new Error(`expected a command from ${JSON.stringify(text)}, got ${JSON.stringify(outcome)}`);
  return outcome.command;
}

/** The problem a message parses to; fails the test otherwise. */
export function problemOf(text: string, ctx: ParseContext = channel): ParseProblem {
  const outcome = parseMessage(text, ctx);
  if (outcome.kind !== 'problem') throw new Error(`expected a problem from ${JSON.stringify(text)}, got ${JSON.stringify(outcome)}`);
  return outcome.problem;
}
