import type { Token } from '../../src/parse/types.ts';
import { closestMatch } from './closest-match.ts';
import { invalidArgument, missingArgument, ok } from './problem.ts';
import { lineWith } from './suggest-line.ts';
import { shown } from './format-words.ts';
import type { Read } from './problem.ts';

export type FlagName = 'dry-run' | 'reason' | 'full';
/** `full`: `/promote --full`, every remaining step skipped (Argo Rollouts' `promote --full`). */
export type Flags = { dryRun: boolean; reason?: string; full?: boolean };

const SPELLINGS: Readonly<Record<string, FlagName>> = {
  'dry-run': 'dry-run',
  dryrun: 'dry-run',
  dry_run: 'dry-run',
  reason: 'reason',
  full: 'full',
};

/** A bare word starting with `--` (phones turn `--` into `—`; the tokenizer has put it back). */
export function isFlag(token: Token | undefined): boolean {
  return token !== undefined && !token.quoted && token.text.startsWith('--') && token.text.length > 2;
}

/**
 * Reads the `--flags` among the words, wherever they are, and returns the indices of the other words.
 * `--reason` takes the text after it (quoted or not)
 * up to the next flag; `--reason=text` works too. Flags the verb does not have are problems.
 */
export function takeFlags(verb: string, usage: string, args: readonly Token[], allowed: readonly FlagName[]): Read<{ flags: Flags; positions: number[] }> {
  const flags: Flags = { dryRun: false };
  const positions: number[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const token = args[i] as Token;
    if (!isFlag(token)) {
      positions.push(i);
      continue;
    }
    const [rawName = '', inline] = splitOnce(token.text.slice(2), '=');
    const name = SPELLINGS[rawName.toLowerCase()];
    if (name === undefined || !allowed.includes(name)) {
      const options = allowed.map((f) => `--${f}`);
      const near = closestMatch(`--${rawName}`, options);
      const has = options.length > 0 ? `Its options are ${options.map((o) => `\`${o}\``).join(' and ')}.` : 'It has no options.';
      return invalidArgument(`\`/${verb}\` has no option \`--${shown(rawName)}\`.${near === undefined ? '' : ` Did you mean \`${near}\`?`}`, {
        hint: has,
        usage,
        ...(near !== undefined && { suggestion: lineWith(verb, args, i, near) }),
      });
    }
    switch (name) {
      case 'dry-run':
        if (inline !== undefined) return invalidArgument('`--dry-run` takes no value.', { usage });
        flags.dryRun = true;
        break;
      case 'full':
        if (inline !== undefined) return invalidArgument('`--full` takes no value.', { usage });
        flags.full = true;
        break;
      case 'reason': {
        const words: string[] = inline === undefined || inline === '' ? [] : [inline];
        while (i + 1 < args.length && !isFlag(args[i + 1])) {
          i += 1;
          words.push((args[i] as Token).text);
        }
        const reason = words.join(' ').trim();
        if (reason === '') return missingArgument('`--reason` needs some text, like `--reason "hotfix for the login bug"`.', { usage });
        if (flags.reason !== undefined) return invalidArgument('Give `--reason` only once.', { usage });
        flags.reason = reason;
        break;
      }
      default: {
        const never: never = name;
        return never;
      }
    }
  }
  return ok({ flags, positions });
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
