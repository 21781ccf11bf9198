import type { CommandOption } from './schema.ts';

/**
 * The chat line a slash command stands for: `/deploy` with `args: "api v1.5.0 to production"` reads
 * `/deploy api v1.5.0 to production`, so Discord commands go through the same parser (and the same problems and
 * suggestions) as typed text. Subcommands and several options are read in order, names of subcommands included.
 */
export function readCommandText(name: string, options: readonly CommandOption[] = []): string {
  const words: string[] = [];
  const walk = (opts: readonly CommandOption[]): void => {
    for (const o of opts) {
      // 1 = SUB_COMMAND, 2 = SUB_COMMAND_GROUP: their name is a word of the line.
      if (o.type === 1 || o.type === 2) {
        words.push(o.name);
        walk(o.options ?? []);
      } else if (o.value !== undefined) {
        words.push(String(o.value));
      }
    }
  };
  walk(options);
  return [`/${name}`, ...words.map((w) => w.trim()).filter(Boolean)].join(' ');
}
