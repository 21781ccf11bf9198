/**
 * A small PromQL subset, enough for analysis queries: selectors with `= != =~ !~` matchers and `[range]`,
 * `rate`/`irate`/`increase`, `histogram_quantile`, `vector`, `abs`, `clamp_min`, aggregations (`sum min max avg count`
 * with `by`/`without`, before or after the arguments), number literals and `+ - * /` with PromQL precedence.
 */
export type Matcher = { label: string; op: '=' | '!=' | '=~' | '!~'; value: string };

export type PromExpr =
  | { kind: 'number'; value: number }
  | { kind: 'selector'; metric?: string; matchers: Matcher[]; rangeSeconds?: number }
  | { kind: 'call'; fn: string; args: PromExpr[] }
  | { kind: 'aggregate'; op: AggregateOp; by?: string[]; without?: string[]; expr: PromExpr }
  | { kind: 'binary'; op: '+' | '-' | '*' | '/'; lhs: PromExpr; rhs: PromExpr }
  | { kind: 'negate'; expr: PromExpr };

export type AggregateOp = 'sum' | 'min' | 'max' | 'avg' | 'count';
const AGGREGATES = new Set<string>(['sum', 'min', 'max', 'avg', 'count']);

export class PromQLError extends Error {}

type Token = { t: 'num' | 'id' | 'str' | 'dur' | 'op'; v: string };

const UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) { i++; continue; }
    const rest = src.slice(i);
    const dur = /^(\d+(ms|s|m|h|d|w|y))+/.exec(rest);
    const prev = out.at(-1);
    if (dur && prev?.v === '[') { out.push({ t: 'dur', v: dur[0] }); i += dur[0].length; continue; }
    const num = /^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?/i.exec(rest);
    if (num) { out.push({ t: 'num', v: num[0] }); i += num[0].length; continue; }
    const id = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(rest);
    if (id) { out.push({ t: 'id', v: id[0] }); i += id[0].length; continue; }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) { s += src[j + 1]; j += 2; } else { s += src[j]; j++; }
      }
      if (j >= src.length) throw new PromQLError(`unterminated string at ${i}`);
      out.push({ t: 'str', v: s });
      i = j + 1;
      continue;
    }
    const op = /^(=~|!~|!=|[{}()[\],=+\-*/])/.exec(rest);
    if (op) { out.push({ t: 'op', v: op[0] }); i += op[0].length; continue; }
    throw new PromQLError(`unexpected character "${c}" at ${i}`);
  }
  return out;
}

function seconds(text: string): number {
  let total = 0;
  for (const m of text.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) total += Number(m[1]) * (UNITS[m[2]!] ?? 0);
  return total;
}

export function parsePromQL(src: string): PromExpr {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const next = (): Token => {
    const t = tokens[pos++];
    if (!t) throw new PromQLError('unexpected end of input');
    return t;
  };
  const expect = (v: string): void => {
    const t = next();
    if (t.v !== v || t.t === 'str') throw new PromQLError(`expected "${v}", found "${t.v}"`);
  };
  const isOp = (v: string): boolean => peek()?.t === 'op' && peek()?.v === v;

  const labelList = (): string[] => {
    expect('(');
    const labels: string[] = [];
    while (!isOp(')')) {
      const t = next();
      if (t.t !== 'id') throw new PromQLError(`expected a label name, found "${t.v}"`);
      labels.push(t.v);
      if (isOp(',')) next();
    }
    expect(')');
    return labels;
  };

  const args = (): PromExpr[] => {
    expect('(');
    const out: PromExpr[] = [];
    while (!isOp(')')) {
      out.push(add());
      if (isOp(',')) next();
      else break;
    }
    expect(')');
    return out;
  };

  const matchers = (): Matcher[] => {
    expect('{');
    const out: Matcher[] = [];
    while (!isOp('}')) {
      const label = next();
      if (label.t !== 'id') throw new PromQLError(`expected a label name, found "${label.v}"`);
      const op = next();
      if (!['=', '!=', '=~', '!~'].includes(op.v)) throw new PromQLError(`expected a matcher operator, found "${op.v}"`);
      const value = next();
      if (value.t !== 'str') throw new PromQLError(`expected a quoted label value, found "${value.v}"`);
      out.push({ label: label.v, op: op.v as Matcher['op'], value: value.v });
      if (isOp(',')) next();
    }
    expect('}');
    return out;
  };

  const range = (): number | undefined => {
    if (!isOp('[')) return undefined;
    next();
    const d = next();
    if (d.t !== 'dur') throw new PromQLError(`expected a duration like 5m, found "${d.v}"`);
    expect(']');
    return seconds(d.v);
  };

  const primary = (): PromExpr => {
    const t = peek();
    if (!t) throw new PromQLError('unexpected end of input');
    if (t.t === 'num') { next(); return { kind: 'number', value: Number(t.v) }; }
    if (t.t === 'op' && t.v === '(') { next(); const e = add(); expect(')'); return e; }
    if (t.t === 'op' && t.v === '{') return { kind: 'selector', matchers: matchers(), rangeSeconds: range() };
    if (t.t === 'id') {
      next();
      if (AGGREGATES.has(t.v)) {
        let by: string[] | undefined;
        let without: string[] | undefined;
        const grouping = (): void => {
          const g = peek();
          if (g?.t === 'id' && g.v === 'by') { next(); by = labelList(); }
          else if (g?.t === 'id' && g.v === 'without') { next(); without = labelList(); }
        };
        grouping();
        const a = args();
        grouping();
        if (a.length !== 1) throw new PromQLError(`${t.v} takes one expression`);
        return { kind: 'aggregate', op: t.v as AggregateOp, by, without, expr: a[0]! };
      }
      if (isOp('(')) return { kind: 'call', fn: t.v, args: args() };
      const m = isOp('{') ? matchers() : [];
      return { kind: 'selector', metric: t.v, matchers: m, rangeSeconds: range() };
    }
    throw new PromQLError(`unexpected "${t.v}"`);
  };

  const unary = (): PromExpr => {
    if (isOp('-')) { next(); return { kind: 'negate', expr: unary() }; }
    if (isOp('+')) { next(); return unary(); }
    return primary();
  };
  const mul = (): PromExpr => {
    let lhs = unary();
    while (isOp('*') || isOp('/')) {
      const op = next().v as '*' | '/';
      lhs = { kind: 'binary', op, lhs, rhs: unary() };
    }
    return lhs;
  };
  function add(): PromExpr {
    let lhs = mul();
    while (isOp('+') || isOp('-')) {
      const op = next().v as '+' | '-';
      lhs = { kind: 'binary', op, lhs, rhs: mul() };
    }
    return lhs;
  }

  const expr = add();
  if (pos < tokens.length) throw new PromQLError(`unexpected "${tokens[pos]!.v}" after the expression`);
  return expr;
}
