import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Command } from '../../commands/index.ts';
import { parseMessage } from '../../src/parse/index.ts';
import type { ParseContext, ParseOutcome } from '../../src/parse/index.ts';
import { ParseProblem } from '../../src/parse/schema.ts';
import { channel, direct } from './context.ts';

/** Words that take the parser down its deeper paths, mixed with noise. */
const vocabulary = fc.constantFrom(
  '/deploy', 'deploy', '/rollback', '/status', '/history', '/promote', '/pause', '/resume', '/abort', '/approve', '/deny',
  '/lock', '/unlock', '/freeze', '/unfreeze', '/help', '@deckhand', '<@U0DECK>', '/deckhand', 'api', 'web', 'worker', 'billing',
  'search', 'apu', 'v1.5.0', '1.5.0', 'V1.5.0', 'to', 'TO', 'staging', 'production', 'prod', 'qa', 'canary', 'rolling', 'bluegreen',
  '5%', '5', '%', '150%', '-1', '0', '#12', '12', '--dry-run', '—dry-run', '--reason', '--reason=x', '--', '"', '“', '”', "'", '‘',
  'until', 'for', '2h', '2026-12-01', 'x', '', ' ', '\n', '\t', '`', '<', '>', '|', '\u0000', '\ud800', '🚀', 'İ', 'ß',
);

const messages = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.array(vocabulary, { maxLength: 12 }).map((words) => words.join(' ')),
  fc.array(fc.tuple(fc.oneof(vocabulary, fc.string({ maxLength: 6 })), fc.constantFrom(' ', '', '  ')), { maxLength: 10 })
    .map((parts) => parts.map(([word, gap]) => word + gap).join('')),
);

const contexts = fc.constantFrom<ParseContext>(channel, direct, { ...channel, botUserId: undefined }, { ...direct, catalog: { services: {} } });

function checkOutcome(outcome: ParseOutcome): void {
  switch (outcome.kind) {
    case 'command':
      expect(Command.safeParse(outcome.command).success).toBe(true);
      break;
    case 'problem':
      expect(ParseProblem.safeParse(outcome.problem).success).toBe(true);
      expect(outcome.problem.message.length).toBeGreaterThan(0);
      break;
    case 'not_for_us':
      expect(Object.keys(outcome)).toEqual(['kind']);
      break;
    default: {
      const never: never = outcome;
      throw new Error(`unexpected outcome ${JSON.stringify(never)}`);
    }
  }
}

describe('parseMessage never throws', () => {
  it('on arbitrary strings, always returning one of the three kinds', () => {
    fc.assert(
      fc.property(messages, contexts, (text, ctx) => {
        checkOutcome(parseMessage(text, ctx));
      }),
      { numRuns: 3000 },
    );
  });

  it('suggests only lines that get further than what was typed', () => {
    fc.assert(
      fc.property(fc.array(vocabulary, { minLength: 1, maxLength: 8 }), contexts, (words, ctx) => {
        const outcome = parseMessage(words.join(' '), ctx);
        if (outcome.kind !== 'problem' || outcome.problem.suggestion === undefined) return;
        const again = parseMessage(outcome.problem.suggestion, { ...ctx, addressed: true });
        // Following a suggestion either works or moves on to a different problem: never a loop.
        expect(again.kind).not.toBe('not_for_us');
        if (again.kind === 'problem') expect(again.problem).not.toEqual(outcome.problem);
      }),
      { numRuns: 3000 },
    );
  });

  it('on huge input, quickly', () => {
    const inputs = [
      `/deploy api ${'v'.repeat(1_000_000)}`,
      `/lock api ${'word '.repeat(200_000)}`,
      `@deckhand ${'"'.repeat(500_000)}`,
      `/${'x'.repeat(1_000_000)}`,
      '🚀'.repeat(300_000),
      `/deploy ${'apu'.repeat(100_000)} v1.5.0`,
    ];
    const started = performance.now();
    for (const text of inputs) {
      checkOutcome(parseMessage(text, channel));
      checkOutcome(parseMessage(text, direct));
    }
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('even when handed something that is not a string', () => {
    checkOutcome(parseMessage(undefined as unknown as string, direct));
    checkOutcome(parseMessage(42 as unknown as string, direct));
  });
});
