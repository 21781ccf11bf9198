import type { AnyCommandSpec, CommandRegistry } from './spec.ts';

/** The spec a typed verb names (canonical name or alias, any case, with or without `/`). */
export function findCommand(registry: CommandRegistry, word: string): AnyCommandSpec | undefined {
  const lower = word.toLowerCase().replace(/^\//, '');
  for (const spec of registry.values()) {
    if (spec.name === lower || spec.aliases.includes(lower)) return spec;
  }
  return undefined;
}

/** Every word that names a command, for near-miss suggestions. */
export function commandWords(registry: CommandRegistry): string[] {
  return [...registry.values()].flatMap((spec) => [spec.name, ...spec.aliases]);
}
