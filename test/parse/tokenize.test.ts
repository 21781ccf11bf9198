import { describe, expect, it } from 'vitest';
import { tokenize } from '../../src/parse/index.ts';

const words = (text: string) => tokenize(text).map((t) => t.text);

describe('tokenize', () => {
  it.each([
    ['deploy api v1.5.0', ['deploy', 'api', 'v1.5.0']],
    ['  deploy\t api \n v1.5.0  ', ['deploy', 'api', 'v1.5.0']],
    ['deploy\u00a0api', ['deploy', 'api']],
    ['--reason "two words"', ['--reason', 'two words']],
    ["--reason 'two words'", ['--reason', 'two words']],
    ['--reason “two words”', ['--reason', 'two words']],
    ['--reason ”two words”', ['--reason', 'two words']],
    ['--reason ‘two words’', ['--reason', 'two words']],
    ['--reason „zwei Wörter“', ['--reason', 'zwei Wörter']],
    ['--reason «deux mots»', ['--reason', 'deux mots']],
    ['--reason="two words" end', ['--reason=two words', 'end']],
    ["deny 12 don't ship", ['deny', '12', "don't", 'ship']],
    ['deny 12 don’t ship', ['deny', '12', 'don’t', 'ship']],
    ['lock api "unclosed reason', ['lock', 'api', 'unclosed reason']],
    ['"" x', ['', 'x']],
    ['—dry-run –reason', ['--dry-run', '--reason']],
    ['"—dry-run"', ['—dry-run']],
    ['🚀 ship it', ['🚀', 'ship', 'it']],
    ['', []],
  ])('%j', (text, expected) => {
    expect(words(text)).toEqual(expected);
  });

  it('marks words that start with a quote, which are never keywords', () => {
    expect(tokenize('"to" to --reason="x"')).toEqual([
      { text: 'to', quoted: true },
      { text: 'to', quoted: false },
      { text: '--reason=x', quoted: false },
    ]);
  });
});
