import type { z } from 'zod';
import { closestMatch } from '../../commands/grammar/closest-match.ts';
import { KEY_HINTS } from './known-keys.ts';

/** One thing wrong with the config file, before it is given a line and column. */
export type PathProblem = {
  path: readonly PropertyKey[];
  /** Point at the key rather than its value (unknown and badly named keys). */
  atKey: boolean;
  message: string;
  /** For an unknown key: the key probably meant (its "missing" problem, if any, is then left out). */
  meant?: string;
  /** True when the problem is a required key that is absent. */
  missing?: boolean;
};

/** What describeIssue needs to know about the file and the schema. */
export type IssueContext = {
  exists(path: readonly PropertyKey[]): boolean;
  knownKeys(path: readonly PropertyKey[]): string[];
};

export function formatPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(top level)' : path.map(String).join('.');
}

function describeType(issue: z.core.$ZodIssueInvalidType): string {
  return `expected ${issue.expected === 'int' ? 'a whole number' : issue.expected === 'object' || issue.expected === 'record' ? 'a mapping' : issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}`;
}

/**
 * Turns one zod issue into the problems a person should read. `exists` tells whether the path is written in the
 * file: a required key that is absent reads "missing key" and is reported on its parent.
 */
export function describeIssue(issue: z.core.$ZodIssue, ctx: IssueContext): PathProblem[] {
  const path = issue.path;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = ctx.knownKeys(path);
      return issue.keys.map((key) => {
        const meant = closestMatch(key, known);
        const keyHint = Object.hasOwn(KEY_HINTS, key) ? KEY_HINTS[key] : undefined;
        const hint = keyHint && known.includes(keyHint.beside) ? keyHint.hint : undefined;
        const tail = hint !== undefined ? `: ${hint}` : meant === undefined ? (known.length > 0 ? ` (known keys: ${known.join(', ')})` : '') : `; did you mean \`${meant}\`?`;
        const problem: PathProblem = { path: [...path, key], atKey: true, message: `${formatPath(path)}: unknown key \`${key}\`${tail}` };
        if (meant !== undefined) problem.meant = meant;
        return problem;
      });
    }
    case 'invalid_key': {
      const key = String(path[path.length - 1]);
      const inner = issue.issues[0]?.message ?? 'is not a valid name';
      return [{ path, atKey: true, message: `${formatPath(path.slice(0, -1))}: \`${key}\` ${inner}` }];
    }
    case 'invalid_type': {
      if (!ctx.exists(path)) {
        const key = String(path[path.length - 1]);
        return [{ path, atKey: false, missing: true, message: `${formatPath(path.slice(0, -1))}: missing required key \`${key}\`` }];
      }
      const custom = issue.message.startsWith('Invalid input') ? describeType(issue) : issue.message;
      return [{ path, atKey: false, message: `${formatPath(path)}: ${custom}` }];
    }
    case 'custom':
      if (issue.params?.badKey === true) {
        return [{ path, atKey: true, message: `${formatPath(path.slice(0, -1))}: \`${String(path[path.length - 1])}\` ${issue.message}` }];
      }
      // Checks that name an entry (a sandbox service, say) ask to be shown at its key.
      return [{ path, atKey: issue.params?.atKey === true, message: `${formatPath(path)}: ${issue.message}` }];
    default:
      return [{ path, atKey: false, message: `${formatPath(path)}: ${issue.message}` }];
  }
}

/**
 * Leaves out "missing key `environments`" when the same mapping has an unknown key that was meant to be it
 * (`enviroments`): one mistake, one problem.
 */
export function withoutEchoes(problems: readonly PathProblem[]): PathProblem[] {
  const meant = new Set(problems.filter((p) => p.meant !== undefined).map((p) => [...p.path.slice(0, -1), p.meant].map(String).join('\u0000')));
  return problems.filter((p) => !(p.missing === true && meant.has(p.path.map(String).join('\u0000'))));
}
