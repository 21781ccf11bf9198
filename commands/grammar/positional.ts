import type { Token } from '../../src/parse/types.ts';
import type { Where } from './where.ts';

/**
 * The words of a command that are not flags, addressed by position, while problems still quote and correct
 * the whole line as typed (so a suggested line never silently drops `--dry-run`).
 */
export type Positional = {
  count: number;
  token(k: number): Token | undefined;
  where(k: number): Where;
};

export function positional(verb: string, usage: string, args: readonly Token[], positions: readonly number[]): Positional {
  return {
    count: positions.length,
    token: (k) => {
      const i = positions[k];
      return i === undefined ? undefined : args[i];
    },
    where: (k) => ({ verb, usage, args, index: positions[k] ?? args.length }),
  };
}
