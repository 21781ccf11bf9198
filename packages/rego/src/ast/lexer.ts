/**
 * Rego tokens. Newlines are not tokens: each token records whether a newline preceded it, because newlines
 * separate body expressions but are otherwise insignificant.
 */
import { RegoError } from '../errors.ts';

export type TokenKind = 'ident' | 'string' | 'number' | 'punct' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Identifier name, punctuation text, number text, or the decoded string. */
  readonly text: string;
  readonly row: number;
  readonly col: number;
  readonly nl: boolean;
  /** Whitespace directly before the token (matters for `-1` vs `a - 1`, and `f (x)`). */
  readonly space: boolean;
}

const PUNCT3 = new Set<string>();
const PUNCT2 = new Set([':=', '==', '!=', '<=', '>=']);
const PUNCT1 = new Set(['{', '}', '[', ']', '(', ')', '.', ',', ';', ':', '=', '<', '>', '+', '-', '*', '/', '%', '&', '|']);

export function tokenize(src: string, file: string): Token[] {
  const out: Token[] = [];
  // A byte-order mark (editors on Windows) is not part of the source.
  let i = src.charCodeAt(0) === 0xfeff ? 1 : 0, row = 1, lineStart = i, nl = true, space = true;
  const err = (msg: string, at: number): never => {
    throw new RegoError('rego_parse_error', msg, { file, row, col: at - lineStart + 1 });
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\n') { i++; row++; lineStart = i; nl = true; space = true; continue; }
    if (c === ' ' || c === '\t' || c === '\r') { i++; space = true; continue; }
    if (c === '#') { while (i < src.length && src[i] !== '\n') i++; continue; }
    const start = i, col = i - lineStart + 1, tokRow = row;
    const push = (kind: TokenKind, text: string): void => {
      out.push({ kind, text, row: tokRow, col, nl, space });
      nl = false; space = false;
    };
    if (/[A-Za-z_]/.test(c)) {
      while (i < src.length && /[A-Za-z0-9_]/.test(src[i]!)) i++;
      push('ident', src.slice(start, i));
    } else if (/[0-9]/.test(c)) {
      while (i < src.length && /[0-9]/.test(src[i]!)) i++;
      if (src[i] === '.' && /[0-9]/.test(src[i + 1] ?? '')) { i++; while (i < src.length && /[0-9]/.test(src[i]!)) i++; }
      if (src[i] === 'e' || src[i] === 'E') {
        let j = i + 1;
        if (src[j] === '+' || src[j] === '-') j++;
        if (/[0-9]/.test(src[j] ?? '')) { i = j; while (i < src.length && /[0-9]/.test(src[i]!)) i++; }
      }
      if (/[A-Za-z_]/.test(src[i] ?? '')) err(`illegal number format`, start);
      push('number', src.slice(start, i));
    } else if (c === '"') {
      i++;
      let s = '';
      for (;;) {
        if (i >= src.length || src[i] === '\n') err('non-terminated string', start);
        const d = src[i]!;
        if (d === '"') { i++; break; }
        if (d === '\\') {
          const e = src[i + 1];
          const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
          if (e !== undefined && e in simple) { s += simple[e]; i += 2; continue; }
          if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 2, i + 6))) {
            s += String.fromCharCode(parseInt(src.slice(i + 2, i + 6), 16)); i += 6; continue;
          }
          err('illegal escape sequence in string', i);
        }
        s += d; i++;
      }
      push('string', s);
    } else if (c === '`') {
      const end = src.indexOf('`', i + 1);
      if (end < 0) err('non-terminated raw string', start);
      const s = src.slice(i + 1, end);
      for (const ch of s) if (ch === '\n') row++;
      if (s.includes('\n')) lineStart = i + 1 + s.lastIndexOf('\n') + 1;
      i = end + 1;
      out.push({ kind: 'string', text: s, row: tokRow, col, nl, space });
      nl = false; space = false;
    } else {
      const two = src.slice(i, i + 2), three = src.slice(i, i + 3);
      if (PUNCT3.has(three)) { i += 3; push('punct', three); }
      else if (PUNCT2.has(two)) { i += 2; push('punct', two); }
      else if (PUNCT1.has(c)) { i++; push('punct', c); }
      else err(`illegal token '${c}'`, start);
    }
  }
  out.push({ kind: 'eof', text: '', row, col: i - lineStart + 1, nl: true, space: true });
  return out;
}
