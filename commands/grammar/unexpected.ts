import type { ParseProblem } from '../../src/parse/types.ts';
import { invalidArgument } from './problem.ts';
import { lineWith } from './suggest-line.ts';
import { shown } from './format-words.ts';
import type { Where } from './where.ts';

/** The problem for a word the verb has no place for; the suggestion is the line without it. */
export function unexpectedWord(where: Where, why?: string): { kind: 'problem'; problem: ParseProblem } {
  const text = where.args[where.index]?.text ?? '';
  return invalidArgument(`I don't know what to do with \`${shown(text)}\` here.${why === undefined ? '' : ` ${why}`}`, {
    suggestion: lineWith(where.verb, where.args, where.index, []),
    usage: where.usage,
  });
}
