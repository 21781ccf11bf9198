import type { CatalogService } from '../../src/parse/types.ts';
import { Version } from '../schema.ts';
import { invalidArgument, missingArgument, ok } from './problem.ts';
import { lineWith } from './suggest-line.ts';
import { shown } from './format-words.ts';
import type { Read } from './problem.ts';
import type { Where } from './where.ts';

const compiled = new Map<string, RegExp | null>();

/** The service's version pattern, anchored to the whole version; null when it does not compile. */
function patternOf(service: CatalogService): RegExp | null {
  const cached = compiled.get(service.versionPattern);
  if (cached !== undefined) return cached;
  let pattern: RegExp | null;
  try {
    pattern = new RegExp(`^(?:${service.versionPattern})$`);
  } catch {
    pattern = null;
  }
  compiled.set(service.versionPattern, pattern);
  return pattern;
}

/** True when the word is a version of the service: a valid image tag matching its pattern. */
export function isVersionOf(word: string, service: CatalogService): boolean {
  const pattern = patternOf(service);
  return pattern !== null && Version.safeParse(word).success && pattern.test(word);
}

const EXAMPLE_SHAPES = ['v1.2.3', '1.2.3', 'v1.2', '1.2', 'v1', '1', '2026.11.22', 'v1.2.3-rc.1', '1.2.3-rc.1', 'a1b2c3d', 'release-42'];

/** A version that fits the pattern, to show people: the configured example, else a common shape that fits. */
export function versionExampleOf(service: CatalogService): string | undefined {
  if (service.versionExample !== undefined) return service.versionExample;
  return EXAMPLE_SHAPES.find((shape) => isVersionOf(shape, service));
}

/** The likely intended version when the typed one is off by a `v` or by case. */
function fixVersion(word: string, service: CatalogService): string | undefined {
  const candidates = [`v${word}`, word.replace(/^[vV]/, ''), word.toLowerCase(), `v${word.toLowerCase().replace(/^v/, '')}`];
  return candidates.find((c) => c !== word && isVersionOf(c, service));
}

/** Reads a version of `serviceName` at `where.index`; the case is kept because image tags are case-sensitive. */
export function readVersion(where: Where, serviceName: string, service: CatalogService): Read<string> {
  const token = where.args[where.index];
  const example = versionExampleOf(service);
  const like = example === undefined ? '' : `, like \`${example}\``;
  if (token === undefined) {
    return missingArgument(`Which version of \`${serviceName}\`? Give a version${like}.`, { usage: where.usage });
  }
  if (isVersionOf(token.text, service)) return ok(token.text);
  const pattern = patternOf(service);
  if (pattern !== null && pattern.test(token.text)) {
    return invalidArgument(`\`${shown(token.text)}\` cannot be an image tag: tags are letters, digits, \`_\`, \`.\` and \`-\`, at most 128 characters, not starting with \`.\` or \`-\`.`, { usage: where.usage });
  }
  const fixed = fixVersion(token.text, service);
  const rule = `Versions of \`${serviceName}\` must match \`${service.versionPattern}\`${like}.`;
  if (fixed !== undefined) {
    return invalidArgument(`\`${shown(token.text)}\` is not a version of \`${serviceName}\`. Did you mean \`${fixed}\`?`, {
      suggestion: lineWith(where.verb, where.args, where.index, fixed),
      hint: rule,
      usage: where.usage,
    });
  }
  return invalidArgument(`\`${shown(token.text)}\` is not a version of \`${serviceName}\`. ${rule}`, { usage: where.usage });
}
