import { PromQLError, type Matcher, type PromExpr } from './parse-promql.ts';

export type Labels = Record<string, string>;
/** A series as the sim knows it: labels (with `__name__`) and its current per-second rate. */
export interface RateSeries { labels: Labels; ratePerSecond: number; total: number }
export interface Sample { labels: Labels; value: number }
export type PromValue = { kind: 'scalar'; value: number } | { kind: 'vector'; samples: Sample[] };

/** Where series come from: every series of a metric that could match the matchers. */
export type SeriesSource = (metric: string | undefined, matchers: Matcher[]) => Promise<RateSeries[]>;

export function matches(labels: Labels, m: Matcher): boolean {
  const v = labels[m.label] ?? '';
  switch (m.op) {
    case '=': return v === m.value;
    case '!=': return v !== m.value;
    case '=~': return new RegExp(`^(?:${m.value})$`).test(v);
    case '!~': return !new RegExp(`^(?:${m.value})$`).test(v);
  }
}

function withoutName(labels: Labels): Labels {
  const { __name__: _name, ...rest } = labels;
  return rest;
}

function key(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}

/** Prometheus' histogram_quantile: linear interpolation inside the bucket where the rank falls. */
function quantile(q: number, buckets: { le: number; count: number }[]): number {
  buckets.sort((a, b) => a.le - b.le);
  const total = buckets.at(-1)?.count ?? 0;
  if (!buckets.length || buckets.at(-1)!.le !== Infinity || total === 0) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const rank = q * total;
  let i = buckets.findIndex((b) => b.count >= rank);
  if (i < 0) i = buckets.length - 1;
  const b = buckets[i]!;
  if (b.le === Infinity) return buckets[i - 1]?.le ?? NaN;
  const lower = i === 0 ? 0 : buckets[i - 1]!.le;
  const below = i === 0 ? 0 : buckets[i - 1]!.count;
  const inBucket = b.count - below;
  return inBucket === 0 ? b.le : lower + (b.le - lower) * ((rank - below) / inBucket);
}

function binary(op: '+' | '-' | '*' | '/', a: number, b: number): number {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return a / b;
  }
}

/** Evaluates an instant query at "now" over the sim's series. Range selectors only appear inside rate()/increase(). */
export async function evaluatePromQL(expr: PromExpr, source: SeriesSource): Promise<PromValue> {
  const ev = (e: PromExpr): Promise<PromValue> => evaluatePromQL(e, source);
  switch (expr.kind) {
    case 'number': return { kind: 'scalar', value: expr.value };
    case 'selector': {
      if (expr.rangeSeconds !== undefined) throw new PromQLError('a range vector is only allowed inside rate(), irate() or increase()');
      const series = await source(expr.metric, expr.matchers);
      return { kind: 'vector', samples: series.filter((s) => expr.matchers.every((m) => matches(s.labels, m))).map((s) => ({ labels: s.labels, value: s.total })) };
    }
    case 'negate': {
      const v = await ev(expr.expr);
      return v.kind === 'scalar' ? { kind: 'scalar', value: -v.value } : { kind: 'vector', samples: v.samples.map((s) => ({ labels: withoutName(s.labels), value: -s.value })) };
    }
    case 'call': {
      switch (expr.fn) {
        case 'rate': case 'irate': case 'increase': {
          const arg = expr.args[0];
          if (expr.args.length !== 1 || arg?.kind !== 'selector' || arg.rangeSeconds === undefined) throw new PromQLError(`${expr.fn}() needs one range vector, like ${expr.fn}(x[5m])`);
          const range = arg.rangeSeconds;
          const series = (await source(arg.metric, arg.matchers)).filter((s) => arg.matchers.every((m) => matches(s.labels, m)));
          return { kind: 'vector', samples: series.map((s) => ({ labels: withoutName(s.labels), value: expr.fn === 'increase' ? s.ratePerSecond * range : s.ratePerSecond })) };
        }
        case 'histogram_quantile': {
          const [qe, ve] = expr.args;
          if (!qe || !ve || expr.args.length !== 2) throw new PromQLError('histogram_quantile() takes a quantile and a vector');
          const q = await ev(qe);
          const v = await ev(ve);
          if (q.kind !== 'scalar' || v.kind !== 'vector') throw new PromQLError('histogram_quantile(scalar, vector)');
          const groups = new Map<string, { labels: Labels; buckets: { le: number; count: number }[] }>();
          for (const s of v.samples) {
            const { le, ...rest } = withoutName(s.labels);
            if (le === undefined) continue;
            const k = key(rest);
            const g = groups.get(k) ?? { labels: rest, buckets: [] };
            g.buckets.push({ le: le === '+Inf' ? Infinity : Number(le), count: s.value });
            groups.set(k, g);
          }
          return { kind: 'vector', samples: [...groups.values()].map((g) => ({ labels: g.labels, value: quantile(q.value, g.buckets) })) };
        }
        case 'vector': {
          const v = expr.args[0] ? await ev(expr.args[0]) : undefined;
          if (v?.kind !== 'scalar') throw new PromQLError('vector() takes a scalar');
          return { kind: 'vector', samples: [{ labels: {}, value: v.value }] };
        }
        case 'abs': case 'clamp_min': {
          const v = expr.args[0] ? await ev(expr.args[0]) : undefined;
          if (v?.kind !== 'vector') throw new PromQLError(`${expr.fn}() takes a vector`);
          const min = expr.fn === 'clamp_min' && expr.args[1] ? await ev(expr.args[1]) : undefined;
          const f = (x: number): number => expr.fn === 'abs' ? Math.abs(x) : Math.max(x, min?.kind === 'scalar' ? min.value : -Infinity);
          return { kind: 'vector', samples: v.samples.map((s) => ({ labels: withoutName(s.labels), value: f(s.value) })) };
        }
        default: throw new PromQLError(`function ${expr.fn}() is not supported by the simulated Prometheus`);
      }
    }
    case 'aggregate': {
      const v = await ev(expr.expr);
      if (v.kind !== 'vector') throw new PromQLError(`${expr.op}() takes a vector`);
      const groups = new Map<string, { labels: Labels; values: number[] }>();
      for (const s of v.samples) {
        const base = withoutName(s.labels);
        const labels: Labels = {};
        if (expr.by) for (const l of expr.by) { if (base[l] !== undefined) labels[l] = base[l]; }
        else if (expr.without) for (const [k, val] of Object.entries(base)) { if (!expr.without.includes(k)) labels[k] = val; }
        const k = key(labels);
        const g = groups.get(k) ?? { labels, values: [] };
        g.values.push(s.value);
        groups.set(k, g);
      }
      const reduce = (xs: number[]): number => {
        switch (expr.op) {
          case 'sum': return xs.reduce((a, b) => a + b, 0);
          case 'min': return Math.min(...xs);
          case 'max': return Math.max(...xs);
          case 'avg': return xs.reduce((a, b) => a + b, 0) / xs.length;
          case 'count': return xs.length;
        }
      };
      return { kind: 'vector', samples: [...groups.values()].map((g) => ({ labels: g.labels, value: reduce(g.values) })) };
    }
    case 'binary': {
      const [a, b] = await Promise.all([ev(expr.lhs), ev(expr.rhs)]);
      if (a.kind === 'scalar' && b.kind === 'scalar') return { kind: 'scalar', value: binary(expr.op, a.value, b.value) };
      if (a.kind === 'vector' && b.kind === 'scalar') return { kind: 'vector', samples: a.samples.map((s) => ({ labels: withoutName(s.labels), value: binary(expr.op, s.value, b.value) })) };
      if (a.kind === 'scalar' && b.kind === 'vector') return { kind: 'vector', samples: b.samples.map((s) => ({ labels: withoutName(s.labels), value: binary(expr.op, a.value, s.value) })) };
      if (a.kind === 'vector' && b.kind === 'vector') {
        // One-to-one matching on all labels but the metric name.
        const right = new Map(b.samples.map((s) => [key(withoutName(s.labels)), s]));
        const out: Sample[] = [];
        for (const s of a.samples) {
          const labels = withoutName(s.labels);
          const r = right.get(key(labels));
          if (r) out.push({ labels, value: binary(expr.op, s.value, r.value) });
        }
        return { kind: 'vector', samples: out };
      }
      throw new PromQLError('unsupported operands');
    }
  }
}
