import type { ParseProblem, SpecOutcome } from '../../src/parse/types.ts';

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
