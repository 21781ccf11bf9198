import type { Token } from './types.ts';

/**
 * Closing quotes for each opening quote. Phones and Slack turn straight quotes into typographic ones, and
 * not always in matching pairs (”…” is common), so each opener accepts every plausible closer.
 */
const DOUBLE_CLOSERS = ['"', '“', '”', '„'];
const SINGLE_CLOSERS = ["'", '‘', '’', '‚'];
const CLOSERS: Readonly<Record<string, readonly string[]>> = {
  '"': DOUBLE_CLOSERS,
  '“': DOUBLE_CLOSERS,
  '”': DOUBLE_CLOSERS,
  '„': DOUBLE_CLOSERS,
  '«': ['»'],
  '»': ['«'],
  "'": SINGLE_CLOSERS,
  '‘': SINGLE_CLOSERS,
  '’': SINGLE_CLOSERS,
  '‚': SINGLE_CLOSERS,
};
const SINGLE_OPENERS = new Set(["'", '‘', '’', '‚']);

/** Phones turn `--` into an en or em dash; flags typed that way are read as `--`. */
const DASH_FLAG = /^(?:—|–|−−|--?—|—-)(?=[A-Za-z])/;

function isSpace(ch: string): boolean {
  return /\s/u.test(ch);
}

/**
 * Splits a message into words. Double quotes (straight or typographic) group words anywhere in a word
 * (`--reason="two words"`); single quotes only at the start of a word, so apostrophes (`don't`) stay
 * apostrophes. An unclosed quote runs to the end of the message. Linear in the length of the text.
 * A word is `quoted` when it starts with a quote: `"to"` is not the keyword, `--reason="…"` is still a flag.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  // Zero-width characters ride along with copy and paste and would make `api` unrecognisable.
  const chars = Array.from(text.replace(/[\u200b-\u200d\u2060\ufeff]/g, ''));
  let i = 0;
  while (i < chars.length) {
    while (i < chars.length && isSpace(chars[i] as string)) i += 1;
    if (i >= chars.length) break;
    let word = '';
    let quoted = false;
    let atStart = true;
    while (i < chars.length && !isSpace(chars[i] as string)) {
      const ch = chars[i] as string;
      const closers = CLOSERS[ch];
      const opens = closers !== undefined && (atStart || !SINGLE_OPENERS.has(ch));
      if (opens) {
        if (atStart) quoted = true;
        i += 1;
        while (i < chars.length && !closers.includes(chars[i] as string)) {
          word += chars[i];
          i += 1;
        }
        i += 1; // the closer, or past the end
      } else {
        word += ch;
        i += 1;
      }
      atStart = false;
    }
    if (!quoted) word = word.replace(DASH_FLAG, '--');
    tokens.push({ text: word, quoted });
  }
  return tokens;
}
