import type { z } from 'zod';

/** One thing wrong with the config file, before it is given a line and column. */
export type PathProblem = {
  path: readonly PropertyKey[];
  /** Point at the key rather than its value (unknown and badly named keys). */
  atKey: boolean;
  message: string;
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
export function describeIssue(issue: z.core.$ZodIssue, exists: (path: readonly PropertyKey[]) => boolean): PathProblem[] {
  const path = issue.path;
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({ path: [...path, key], atKey: true, message: `${formatPath([...path, key])}: unknown key \`${key}\`` }));
    case 'invalid_key': {
      const key = String(path[path.length - 1]);
      const inner = issue.issues[0]?.message ?? 'invalid name';
      return [{ path, atKey: true, message: `${formatPath(path.slice(0, -1))}: \`${key}\` is not a valid name: ${inner}` }];
    }
    case 'invalid_type': {
      if (!exists(path)) {
        const key = String(path[path.length - 1]);
        return [{ path, atKey: false, message: `${formatPath(path.slice(0, -1))}: missing required key \`${key}\`` }];
      }
      const custom = issue.message.startsWith('Invalid input') ? describeType(issue) : issue.message;
      return [{ path, atKey: false, message: `${formatPath(path)}: ${custom}` }];
    }
    default:
      return [{ path, atKey: false, message: `${formatPath(path)}: ${issue.message}` }];
  }
}
