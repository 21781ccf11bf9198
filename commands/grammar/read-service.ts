import type { ParseContext } from '../../src/parse/types.ts';
import { closestMatch } from './closest-match.ts';
import { invalidArgument, missingArgument, ok } from './problem.ts';
import { lineWith } from './suggest-line.ts';
import { listNames, shown } from './format-words.ts';
import type { Read } from './problem.ts';
import type { Where } from './where.ts';

/** The canonical service name the word names (any case), if it names one exactly. */
export function findService(word: string, ctx: ParseContext): string | undefined {
  if (Object.hasOwn(ctx.catalog.services, word)) return word;
  const lower = word.toLowerCase();
  return Object.keys(ctx.catalog.services).find((name) => name.toLowerCase() === lower);
}

/** Reads the service at `where.index`; absent, unknown or misspelt services become kind problems. */
export function readService(where: Where, ctx: ParseContext): Read<string> {
  const token = where.args[where.index];
  const found = token && findService(token.text, ctx);
  if (found !== undefined) return ok(found);
  // Only a problem lists the catalog: with hundreds of services, building the list for every request cost more than the parse.
  const names = Object.keys(ctx.catalog.services);
  const known = names.length > 0 ? `Known services: ${listNames(names)}.` : 'No services are configured in deckhand.yaml.';
  if (token === undefined) {
    return missingArgument(`\`/${where.verb}\` needs a service. ${known}`, { usage: where.usage });
  }
  const near = closestMatch(token.text, names);
  if (near !== undefined) {
    return invalidArgument(`Unknown service \`${shown(token.text)}\`. Did you mean \`${near}\`?`, {
      suggestion: lineWith(where.verb, where.args, where.index, near),
      hint: known,
      usage: where.usage,
    });
  }
  return invalidArgument(`Unknown service \`${shown(token.text)}\`. ${known}`, { usage: where.usage });
}
