import type { CatalogService, ParseContext, ParseProblem } from '../../src/parse/types.ts';
import { closestMatch } from './closest-match.ts';
import { invalidArgument, missingArgument, ok } from './problem.ts';
import { lineWith } from './suggest-line.ts';
import { listNames, shown } from './format-words.ts';
import type { Read } from './problem.ts';
import type { Where } from './where.ts';

/** The canonical environment of the service the word names (any case), if it names one exactly. */
export function findEnv(word: string, service: CatalogService): string | undefined {
  const lower = word.toLowerCase();
  return service.environments.find((env) => env.toLowerCase() === lower);
}

/** Every environment any service has, for verbs that name an environment on its own (`/freeze production`). */
export function allEnvs(ctx: ParseContext): string[] {
  return [...new Set(Object.values(ctx.catalog.services).flatMap((s) => s.environments))];
}

/**
 * Where a command for the service goes when no environment is named: the configured `defaultEnv`, else `staging`
 * when the service has it, else its only environment. Undefined when the person must say which.
 */
export function defaultEnvOf(service: CatalogService): string | undefined {
  if (service.defaultEnv !== undefined && service.environments.includes(service.defaultEnv)) return service.defaultEnv;
  if (service.environments.includes('staging')) return 'staging';
  return service.environments.length === 1 ? service.environments[0] : undefined;
}

/** Reads an environment of `serviceName` at `where.index`. */
export function readEnv(where: Where, serviceName: string, ctx: ParseContext): Read<string> {
  const service = ctx.catalog.services[serviceName];
  const envs = service?.environments ?? [];
  const token = where.args[where.index];
  if (token === undefined) {
    return missingArgument(`Which environment of \`${serviceName}\`? It has ${listNames(envs)}.`, { usage: where.usage });
  }
  const found = service && findEnv(token.text, service);
  if (found) return ok(found);
  return unknownEnv(where, serviceName, envs);
}

/** The problem for a word that is not an environment of the service, with the near miss if there is one. */
export function unknownEnv(where: Where, serviceName: string, envs: readonly string[]): { kind: 'problem'; problem: ParseProblem } {
  const text = where.args[where.index]?.text ?? '';
  const near = closestMatch(text, envs);
  const listed = `Its environments are ${listNames(envs)}.`;
  if (near !== undefined) {
    return invalidArgument(`\`${serviceName}\` has no environment \`${shown(text)}\`. Did you mean \`${near}\`?`, {
      suggestion: lineWith(where.verb, where.args, where.index, near),
      hint: listed,
      usage: where.usage,
    });
  }
  return invalidArgument(`\`${serviceName}\` has no environment \`${shown(text)}\`. ${listed}`, { usage: where.usage });
}

/** Reads an environment of any service (for `/freeze`, `/unfreeze`, `/status production`). */
export function readAnyEnv(where: Where, ctx: ParseContext): Read<string> {
  const envs = allEnvs(ctx);
  const token = where.args[where.index];
  if (token === undefined) {
    return missingArgument(`\`/${where.verb}\` needs an environment: ${listNames(envs)}.`, { usage: where.usage });
  }
  const lower = token.text.toLowerCase();
  const found = envs.find((e) => e.toLowerCase() === lower);
  if (found !== undefined) return ok(found);
  const near = closestMatch(token.text, envs);
  const listed = `Known environments: ${listNames(envs)}.`;
  if (near !== undefined) {
    return invalidArgument(`Unknown environment \`${shown(token.text)}\`. Did you mean \`${near}\`?`, {
      suggestion: lineWith(where.verb, where.args, where.index, near),
      hint: listed,
      usage: where.usage,
    });
  }
  return invalidArgument(`Unknown environment \`${shown(token.text)}\`. ${listed}`, { usage: where.usage });
}
