import type { ParseProblem } from '../../src/parse/schema.ts';
import type { SpecOutcome, Token } from '../../src/parse/types.ts';

type Extras = { hint?: string; suggestion?: string; usage?: string };

function build(code: ParseProblem['code'], message: string, extras: Extras): ParseProblem {
  const problem: ParseProblem = { code, message };
  if (extras.hint !== undefined) problem.hint = extras.hint;
  if (extras.suggestion !== undefined) problem.suggestion = extras.suggestion;
  if (extras.usage !== undefined) problem.usage = extras.usage;
  return problem;
}

export function invalidArgument(message: string, extras: Extras = {}): { kind: 'problem'; problem: ParseProblem } {
  return { kind: 'problem', problem: build('parse_invalid_argument', message, extras) };
}

export function missingArgument(message: string, extras: Extras = {}): { kind: 'problem'; problem: ParseProblem } {
  return { kind: 'problem', problem: build('parse_missing_argument', message, extras) };
}

export function unknownCommand(message: string, extras: Extras = {}): { kind: 'problem'; problem: ParseProblem } {
  return { kind: 'problem', problem: build('parse_unknown_command', message, extras) };
}

/** A value, or the problem that stops the parse. Grammar helpers return these so verbs can pass problems on. */
export type Read<T> = { kind: 'ok'; value: T } | { kind: 'problem'; problem: ParseProblem };

export function ok<T>(value: T): { kind: 'ok'; value: T } {
  return { kind: 'ok', value };
}

/** Narrows a Read problem to what a verb parser returns. */
export function passOn(read: { kind: 'problem'; problem: ParseProblem }): SpecOutcome<never> {
  return { kind: 'problem', problem: read.problem };
}

/** Writes a word back so that it reads as one word again (quoted when it has spaces or is empty). */
export function quoteWord(text: string): string {
  return text === '' || /\s/.test(text) || /^["'“”‘’]/.test(text) ? `"${text.replaceAll('"', "'")}"` : text;
}

/** The command line as typed, with the word at `index` replaced (or removed when `replacement` is empty). */
export function lineWith(verb: string, args: readonly Token[], index: number, replacement: string | readonly string[]): string {
  const words = args.map((t) => quoteWord(t.text));
  const insert = typeof replacement === 'string' ? [replacement] : [...replacement];
  words.splice(index, 1, ...insert);
  return [`/${verb}`, ...words].join(' ');
}

/** The command line as typed, with several words replaced at once (by index). */
export function lineReplacing(verb: string, args: readonly Token[], replacements: ReadonlyMap<number, string>): string {
  return [`/${verb}`, ...args.map((t, i) => replacements.get(i) ?? quoteWord(t.text))].join(' ');
}

/** The command line as typed, with extra words inserted before `index`. */
export function lineInserting(verb: string, args: readonly Token[], index: number, inserted: readonly string[]): string {
  const words = args.map((t) => quoteWord(t.text));
  words.splice(index, 0, ...inserted);
  return [`/${verb}`, ...words].join(' ');
}

/** Lists names for a message: `api`, `web` and `worker`. */
export function listNames(names: readonly string[]): string {
  const quoted = names.map((n) => `\`${n}\``);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

/** A typed word as it appears inside a message: backticks removed, long words shortened. */
export function shown(text: string): string {
  const plain = text.replaceAll('`', "'");
  return plain.length > 40 ? `${plain.slice(0, 39)}…` : plain;
}
