import type { ParseContext } from '../../src/parse/types.ts';
import { closestMatch } from './closest-match.ts';
import type { Positional } from './positional.ts';
import { ok } from './problem.ts';
import type { Read } from './problem.ts';
import { findEnv, unknownEnv } from './read-env.ts';
import { readService } from './read-service.ts';
import { unexpectedWord } from './unexpected.ts';

export type Target = { service?: string; env?: string; used: number };
export type ServiceTarget = Target & { service: string };

/**
 * Reads `<service> [<env>]` from the first words. With `restIsText`, words after the target are left for the
 * caller (a reason) and a non-environment second word starts that text; otherwise they are problems.
 */
export function readTarget(words: Positional, ctx: ParseContext, options: { serviceRequired: true; restIsText: boolean }): Read<ServiceTarget>;
export function readTarget(words: Positional, ctx: ParseContext, options: { serviceRequired: false; restIsText: boolean }): Read<Target>;
export function readTarget(words: Positional, ctx: ParseContext, options: { serviceRequired: boolean; restIsText: boolean }): Read<Target> {
  if (words.count === 0 && !options.serviceRequired) return ok({ used: 0 });
  const service = readService(words.where(0), ctx);
  if (service.kind === 'problem') return service;
  const entry = ctx.catalog.services[service.value];
  const second = words.token(1);
  if (second === undefined || entry === undefined) return ok({ service: service.value, used: 1 });
  const env = second.quoted ? undefined : findEnv(second.text, entry);
  if (env !== undefined) {
    if (!options.restIsText && words.count > 2) return unexpectedWord(words.where(2));
    return ok({ service: service.value, env, used: 2 });
  }
  const nearEnv = !second.quoted && closestMatch(second.text, entry.environments) !== undefined;
  // A misspelt environment must not silently become the first word of a reason.
  if (options.restIsText && !nearEnv) return ok({ service: service.value, used: 1 });
  if (nearEnv || words.count === 2) {
    return unknownEnv(words.where(1), service.value, entry.environments);
  }
  return unexpectedWord(words.where(1));
}

/** The words from position `from` on, joined as typed (quotes removed): a free-text reason. */
export function restText(words: Positional, from: number): string | undefined {
  const parts: string[] = [];
  for (let k = from; k < words.count; k += 1) parts.push(words.token(k)?.text ?? '');
  const text = parts.join(' ').trim();
  return text === '' ? undefined : text;
}
