import type { Strategy, StrategyKind } from '../../src/deploy/index.ts';
import type { Token } from '../../src/parse/types.ts';
import { invalidArgument, ok } from './problem.ts';
import { shown } from './format-words.ts';
import type { Read } from './problem.ts';
import type { Where } from './where.ts';

/** The first canary step when none is typed (`/deploy api v1.2.3 canary`). */
export const DEFAULT_CANARY_PERCENT = 5;

const STRATEGY_WORDS: Readonly<Record<string, StrategyKind>> = {
  rolling: 'rolling',
  canary: 'canary',
  bluegreen: 'bluegreen',
  'blue-green': 'bluegreen',
  'blue/green': 'bluegreen',
};

export const STRATEGY_NAMES = ['rolling', 'canary', 'bluegreen'] as const;

/** `canary10%`, `canary:10`, `canary=10%`: the strategy and its percentage written as one word. */
const CANARY_JOINED = /^canary[:=]?([-+.\d].*)$/i;

/** The strategy a bare word names, if any. */
export function strategyWord(token: Token | undefined): StrategyKind | undefined {
  if (token === undefined || token.quoted) return undefined;
  if (CANARY_JOINED.test(token.text)) return 'canary';
  return STRATEGY_WORDS[token.text.toLowerCase()];
}

/** Looks like someone typed a percentage: `5%`, `5`, `5.5`, `-3%`, `%`. */
export function looksLikePercent(token: Token | undefined): boolean {
  return token !== undefined && !token.quoted && /^[-+]?(\d+(\.\d*)?|\.\d+)?\s*%?$/.test(token.text) && token.text !== '';
}

/** The strategy of a service's default, with the default first canary step. */
export function defaultStrategy(kind: StrategyKind): Strategy {
  switch (kind) {
    case 'rolling':
      return { kind: 'rolling' };
    case 'canary':
      return { kind: 'canary', percent: DEFAULT_CANARY_PERCENT };
    case 'bluegreen':
      return { kind: 'bluegreen' };
    default: {
      const never: never = kind;
      return never;
    }
  }
}

/**
 * Reads a strategy starting at `where.index`: `rolling`, `bluegreen`, or `canary` followed by an optional
 * percentage written `5%`, `5 %` or `5` (or joined: `canary5%`, `canary:5`). Returns the strategy and how
 * many words it used.
 */
export function readStrategy(where: Where): Read<{ strategy: Strategy; used: number }> {
  const word = where.args[where.index];
  const kind = strategyWord(word);
  if (kind !== 'canary') return ok({ strategy: defaultStrategy(kind ?? 'rolling'), used: 1 });
  const joined = CANARY_JOINED.exec(word?.text ?? '');
  const next = joined ? { text: joined[1] ?? '', quoted: false } : where.args[where.index + 1];
  // A joined percentage is always checked; a separate word only when it looks like one.
  if (next === undefined || (!joined && !looksLikePercent(next))) {
    return ok({ strategy: { kind: 'canary', percent: DEFAULT_CANARY_PERCENT }, used: 1 });
  }
  let text = next.text.replace(/\s+/g, '');
  let used = joined ? 1 : 2;
  const after = where.args[where.index + used];
  if (!text.endsWith('%') && after !== undefined && !after.quoted && after.text === '%') {
    text += '%';
    used += 1;
  }
  const number = text.replace(/%$/, '');
  const percent = Number(number);
  if (number === '' || !/^[-+]?\d+$/.test(number) || !Number.isInteger(percent) || percent < 1 || percent > 100) {
    return invalidArgument(`The canary percentage must be a whole number from 1 to 100, not \`${shown(text)}\`.`, {
      hint: `For example \`canary ${DEFAULT_CANARY_PERCENT}%\` sends ${DEFAULT_CANARY_PERCENT}% of traffic to the new version first.`,
      usage: where.usage,
    });
  }
  return ok({ strategy: { kind: 'canary', percent }, used });
}
