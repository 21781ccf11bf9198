import type { Token } from '../../src/parse/types.ts';

/** Writes a word back so that it reads as one word again (quoted when it has spaces or is empty). */
export function quoteWord(text: string): string {
  return text === '' || /\s/.test(text) || /^["'“”‘’]/.test(text) ? `"${text.replaceAll('"', "'")}"` : text;
}

/** The command line as typed, with the word at `index` replaced (or removed when `replacement` is empty). */
export function lineWith(verb: string, args: readonly Token[], index: number, replacement: string | readonly string[]): string {
  const words = args.map((t) => quoteWord(t.text));
  const insert = typeof replacement === 'string' ? [replacement] : [...replacement];
  words.splice(index, 1, ...insert);
  return [`/${verb}`, ...words].join(' ');
}

/** The command line as typed, with several words replaced at once (by index). */
export function lineReplacing(verb: string, args: readonly Token[], replacements: ReadonlyMap<number, string>): string {
  return [`/${verb}`, ...args.map((t, i) => replacements.get(i) ?? quoteWord(t.text))].join(' ');
}

/** The command line as typed, with extra words inserted before `index`. */
export function lineInserting(verb: string, args: readonly Token[], index: number, inserted: readonly string[]): string {
  const words = args.map((t) => quoteWord(t.text));
  words.splice(index, 0, ...inserted);
  return [`/${verb}`, ...words].join(' ');
}
