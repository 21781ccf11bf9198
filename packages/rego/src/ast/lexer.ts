/**
 * Rego tokens. Newlines are not tokens: each token records whether a newline preceded it, because newlines
 * separate body expressions but are otherwise insignificant.
 */
import { RegoError } from '../errors.ts';

export type TokenKind = 'ident' | 'string' | 'number' | 'punct' | 'template' | 'eof';

/** A piece of a template string: literal text, or the source of an embedded expression and where it starts. */
export type TemplatePart = { readonly text: string } | { readonly src: string; readonly row: number; readonly col: number };

export interface Token {
  readonly kind: TokenKind;
  /** Identifier name, punctuation text, number text, or the decoded string. */
  readonly text: string;
  readonly row: number;
  readonly col: number;
  readonly nl: boolean;
  /** Whitespace directly before the token (matters for `-1` vs `a - 1`, and `f (x)`). */
  readonly space: boolean;
  /** Template strings (`$"…{expr}…"`, `` $`…` ``): the parts in order. */
  readonly parts?: readonly TemplatePart[];
}

const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

const PUNCT3 = new Set<string>();
const PUNCT2 = new Set([':=', '==', '!=', '<=', '>=']);
const PUNCT1 = new Set(['{', '}', '[', ']', '(', ')', '.', ',', ';', ':', '=', '<', '>', '+', '-', '*', '/', '%', '&', '|']);

/**
 * `startRow`/`startCol` place the text in a larger file: the expressions inside a template string are tokenized
 * on their own but report the positions they have in the module.
 */
export function tokenize(src: string, file: string, startRow = 1, startCol = 1): Token[] {
  const out: Token[] = [];
  // A byte-order mark (editors on Windows) is not part of the source.
  let i = src.charCodeAt(0) === 0xfeff ? 1 : 0, row = startRow, lineStart = i - (startCol - 1), nl = true, space = true;
  const err = (msg: string, at: number): never => {
    throw new RegoError('rego_parse_error', msg, { file, row, col: at - lineStart + 1 });
  };
  const newline = (at: number): void => { row++; lineStart = at + 1; };
  /** Index just past the `}` closing the template expression that starts at `k` (after its `{`). */
  const skipExpr = (k: number, raw: boolean): number => {
    let depth = 1;
    while (k < src.length) {
      const c = src[k]!;
      if (c === '\n') { if (!raw) err('non-terminated template string', k); newline(k); k++; continue; }
      if (c === '"') { k++; while (k < src.length && src[k] !== '"' && src[k] !== '\n') k += src[k] === '\\' ? 2 : 1; k++; continue; }
      if (c === '`') { k++; while (k < src.length && src[k] !== '`') { if (src[k] === '\n') newline(k); k++; } k++; continue; }
      if (c === '$' && (src[k + 1] === '"' || src[k + 1] === '`')) { k = scanTemplate(k).end; continue; }
      if (c === '{') depth++;
      if (c === '}' && --depth === 0) return k + 1;
      k++;
    }
    return err('non-terminated template string', k);
  };
  /** Scans `$"…"` or `` $`…` `` starting at its `$`: the parts and the index just past the closing quote. */
  const scanTemplate = (at: number): { parts: TemplatePart[]; end: number } => {
    const raw = src[at + 1] === '`';
    const close = raw ? '`' : '"';
    const parts: TemplatePart[] = [];
    let text = '', k = at + 2;
    for (;;) {
      if (k >= src.length || (!raw && src[k] === '\n')) err('non-terminated template string', at);
      const d = src[k]!;
      if (d === close) { k++; break; }
      if (d === '\\' && (src[k + 1] === '{' || src[k + 1] === '}')) { text += src[k + 1]; k += 2; continue; }
      if (d === '\\' && !raw) {
        const e = src[k + 1];
        if (e !== undefined && e in SIMPLE_ESCAPES) { text += SIMPLE_ESCAPES[e]; k += 2; continue; }
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(k + 2, k + 6))) {
          text += String.fromCharCode(parseInt(src.slice(k + 2, k + 6), 16)); k += 6; continue;
        }
        err('illegal escape sequence in template string', k);
      }
      if (d === '{') {
        if (text) parts.push({ text });
        text = '';
        const exprRow = row, exprCol = k + 1 - lineStart + 1;
        const end = skipExpr(k + 1, raw);
        parts.push({ src: src.slice(k + 1, end - 1), row: exprRow, col: exprCol });
        k = end;
        continue;
      }
      if (d === '\n') newline(k);
      text += d; k++;
    }
    if (text) parts.push({ text });
    return { parts, end: k };
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
          if (e !== undefined && e in SIMPLE_ESCAPES) { s += SIMPLE_ESCAPES[e]; i += 2; continue; }
          if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 2, i + 6))) {
            s += String.fromCharCode(parseInt(src.slice(i + 2, i + 6), 16)); i += 6; continue;
          }
          err('illegal escape sequence in string', i);
        }
        s += d; i++;
      }
      push('string', s);
    } else if (c === '$' && (src[i + 1] === '"' || src[i + 1] === '`')) {
      const { parts, end } = scanTemplate(i);
      i = end;
      out.push({ kind: 'template', text: '', row: tokRow, col, nl, space, parts });
      nl = false; space = false;
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
