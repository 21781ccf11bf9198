/**
 * regex.globs_match: do two simplified regexps (OPA uses github.com/yashtewari/glob-intersection) share a
 * matching string? Tokens are literals, `.`, `[…]` sets and `\` escapes, each optionally followed by `*` or
 * `+`. We decide non-emptiness of the intersection by a search over the product of the two token automata.
 */

type CharSet = { readonly any: true } | { readonly any: false; readonly ranges: readonly (readonly [number, number])[] };
interface Token { readonly set: CharSet; readonly mod: '' | '*' | '+' }

function invalid(input: string, pos: number, why: string): string {
  return `input:${input}, pos:${pos}, ${why}: the input provided is invalid`;
}

function tokenize(input: string): Token[] | string {
  const chars = Array.from(input);
  const tokens: Token[] = [];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    let set: CharSet;
    if (c === '*' || c === '+') {
      const prev = tokens[tokens.length - 1];
      if (!prev || prev.mod !== '') return invalid(input, i + 1, `modifier '${c}' without a preceding character`);
      tokens[tokens.length - 1] = { set: prev.set, mod: c };
      continue;
    } else if (c === ']') {
      return invalid(input, i + 1, "set-close ']' with no preceding '['");
    } else if (c === '.') {
      set = { any: true };
    } else if (c === '\\') {
      const n = chars[++i];
      if (n === undefined) return invalid(input, i, "escape '\\' at the end of input");
      const cp = n.codePointAt(0)!;
      set = { any: false, ranges: [[cp, cp]] };
    } else if (c === '[') {
      const ranges: [number, number][] = [];
      let j = i + 1;
      for (; j < chars.length && chars[j] !== ']'; j++) {
        let ch = chars[j]!;
        if (ch === '\\' && j + 1 < chars.length) ch = chars[++j]!;
        const lo = ch.codePointAt(0)!;
        if (chars[j + 1] === '-' && j + 2 < chars.length && chars[j + 2] !== ']') {
          let hiCh = chars[j + 2]!;
          j += 2;
          if (hiCh === '\\' && j + 1 < chars.length) hiCh = chars[++j]!;
          ranges.push([lo, hiCh.codePointAt(0)!]);
        } else {
          ranges.push([lo, lo]);
        }
      }
      if (j >= chars.length) return invalid(input, i + 1, "set-open '[' with no closing ']'");
      i = j;
      set = { any: false, ranges };
    } else {
      const cp = c.codePointAt(0)!;
      set = { any: false, ranges: [[cp, cp]] };
    }
    tokens.push({ set, mod: '' });
  }
  return tokens;
}

function intersects(a: CharSet, b: CharSet): boolean {
  if (a.any || b.any) return a.any ? b.any || b.ranges.length > 0 : a.ranges.length > 0;
  return a.ranges.some(([lo1, hi1]) => b.ranges.some(([lo2, hi2]) => lo1 <= hi2 && lo2 <= hi1));
}

/** States are token indexes; `+` is X followed by X*. */
function expand(tokens: Token[]): Token[] {
  return tokens.flatMap((t) => (t.mod === '+' ? [{ set: t.set, mod: '' as const }, { set: t.set, mod: '*' as const }] : [t]));
}

export function globsMatch(g1: string, g2: string): boolean | string {
  const t1 = tokenize(g1);
  if (typeof t1 === 'string') return t1;
  const t2 = tokenize(g2);
  if (typeof t2 === 'string') return t2;
  const a = expand(t1), b = expand(t2);
  const seen = new Set<string>();
  const stack: [number, number][] = [[0, 0]];
  while (stack.length > 0) {
    const [i, j] = stack.pop()!;
    const key = `${i},${j}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (i === a.length && j === b.length) return true;
    const x = a[i], y = b[j];
    if (x?.mod === '*') stack.push([i + 1, j]);
    if (y?.mod === '*') stack.push([i, j + 1]);
    if (x && y && intersects(x.set, y.set)) {
      stack.push([x.mod === '*' ? i : i + 1, y.mod === '*' ? j : j + 1]);
      if (x.mod === '*' && y.mod !== '*') stack.push([i + 1, j + 1]);
      if (y.mod === '*' && x.mod !== '*') stack.push([i + 1, j + 1]);
      stack.push([i + 1, j + 1]);
    }
  }
  return false;
}
