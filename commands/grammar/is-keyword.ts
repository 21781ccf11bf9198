import type { Token } from '../../src/parse/types.ts';

/** True when the token is the bare keyword (any case); quoted words are never keywords. */
export function isKeyword(token: Token | undefined, ...words: readonly string[]): boolean {
  return token !== undefined && !token.quoted && words.includes(token.text.toLowerCase());
}
