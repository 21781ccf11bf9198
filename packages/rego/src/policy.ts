/**
 * A compiled set of modules, evaluated many times. Queries are compiled once and kept (bounded), so the hot path
 * of a decision is: look up the compiled query, evaluate, collect rows.
 */
import { createBuiltinRegistry } from './builtins/index.ts';
import type { Builtin } from './builtins/types.ts';
import { compileProgram, compileQuery } from './compile/compiler.ts';
import type { CompiledQuery } from './compile/compiler.ts';
import type { Program } from './compile/program.ts';
import { RegoError } from './errors.ts';
import { EVAL_BUILTINS } from './eval/eval-builtins.ts';
import { Evaluator } from './eval/evaluator.ts';
import type { Value } from './value.ts';

export interface QueryOptions {
  readonly input?: Value | undefined;
  readonly data?: Value | undefined;
  /** Report the first builtin error (after evaluation, alongside the rows). */
  readonly strict?: boolean | undefined;
  /** The clock reading `time.now_ns` returns throughout this query. */
  readonly nowNs?: bigint | undefined;
  /** Receives `print(...)` output; dropped when absent. */
  readonly print?: ((msg: string) => void) | undefined;
}

export interface QueryResult {
  /** One map per solution: query variable → value. `[]` means undefined; `[{}]` means true with no variables. */
  readonly rows: Map<string, Value>[];
  readonly error?: RegoError;
}

export interface RuleInfo {
  /** `data.pkg.name` style path of the rule's ground prefix. */
  readonly path: string;
  readonly kind: 'single' | 'multi' | 'func';
  readonly file: string;
  readonly row: number;
}

export interface CompiledPolicy {
  /** Evaluate a query like 'data.deckhand.deploy.decision' or 'data.x.p = x; y := 1'. */
  query(query: string, opts?: QueryOptions): QueryResult;
  /**
   * Fast path: the document at a path like 'deckhand/deploy/decision' (also accepted: 'data.deckhand.deploy.decision'),
   * or undefined. Throws RegoError on an evaluation conflict.
   */
  evalPath(path: string, opts?: Pick<QueryOptions, 'input' | 'data'>): Value | undefined;
  readonly packages: string[];
  readonly rules: RuleInfo[];
}

const QUERY_CACHE_LIMIT = 256;

export function compileModules(
  modules: readonly { path: string; source: string }[],
  options?: {
    builtins?: Map<string, Builtin>;
    /**
     * Builtins that reach outside the policy (`http.send`, `net.lookup_ip_addr`, `opa.runtime`) are refused at
     * compile time unless named here (and present in the registry).
     */
    allowBuiltins?: readonly string[];
    /** Base documents known now (a bundle's data): a rule defined where they hold a value is a compile error. */
    baseData?: Value;
  },
): CompiledPolicy {
  const builtins = new Map(options?.builtins ?? createBuiltinRegistry());
  for (const b of EVAL_BUILTINS) builtins.set(b.name, b);
  const program = compileProgram(modules, builtins, { allowBuiltins: options?.allowBuiltins, baseData: options?.baseData });
  return new Policy(program);
}

/** `a/b/c`, or dotted `data.a.b.c` / `a.b.c` when there is no slash. */
function pathSegments(path: string): string[] {
  if (path.includes('/')) return path.split('/').filter((s) => s.length > 0);
  const dotted = path.split('.').filter((s) => s.length > 0);
  return dotted[0] === 'data' ? dotted.slice(1) : dotted;
}

function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

class Policy implements CompiledPolicy {
  readonly packages: string[];
  readonly rules: RuleInfo[];
  private readonly program: Program;
  private readonly queries = new Map<string, CompiledQuery>();

  constructor(program: Program) {
    this.program = program;
    this.packages = [...program.packages];
    this.rules = program.rules.map((r) => ({ path: ['data', ...r.prefix].join('.'), kind: r.kind, file: r.loc.file, row: r.loc.row }));
  }

  query(query: string, opts: QueryOptions = {}): QueryResult {
    let q = this.queries.get(query);
    if (!q) {
      q = compileQuery(this.program, query);
      if (this.queries.size >= QUERY_CACHE_LIMIT) this.queries.delete(this.queries.keys().next().value!);
      this.queries.set(query, q);
    }
    const ev = new Evaluator(this.program, {
      input: opts.input, data: opts.data, strict: opts.strict ?? false, nowNs: opts.nowNs ?? nowNs(), print: opts.print,
    });
    try {
      const rows = ev.runQuery(q);
      if (opts.strict && ev.builtinError) return { rows, error: ev.builtinError };
      return { rows };
    } catch (e) {
      if (e instanceof RegoError) return { rows: [], error: e };
      if (e instanceof RangeError) {
        return { rows: [], error: new RegoError('eval_builtin_error', `evaluation aborted: ${e.message}`) };
      }
      throw e;
    }
  }

  evalPath(path: string, opts: Pick<QueryOptions, 'input' | 'data'> = {}): Value | undefined {
    const segs = pathSegments(path);
    const ev = new Evaluator(this.program, { input: opts.input, data: opts.data, strict: false, nowNs: nowNs() });
    return ev.valueAt(segs);
  }
}
