/**
 * `# METADATA` annotations and the builtins that read them (`rego.metadata.rule()`, `rego.metadata.chain()`), as
 * OPA implements them: a comment block starting at column 1 with `# METADATA` holds YAML and annotates the next
 * package or rule; scopes are `rule` (default on rules), `document`, `package` (default on packages) and
 * `subpackages`. OPA replaces the two builtin calls with constants per rule at compile time; so do we, so
 * evaluation pays nothing.
 */
import YAML from 'yaml';
import type { Body, Module, Rule, Term } from '../ast/types.ts';
import { RegoError } from '../errors.ts';
import type { Location } from '../errors.ts';
import { fromJSON, RObject, RSet } from '../value.ts';
import type { Value } from '../value.ts';

interface Block { readonly row: number; readonly endRow: number; readonly yaml: string }

/** The `# METADATA` blocks of a source file, in order. */
function metadataBlocks(source: string): Block[] {
  const lines = source.split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trimEnd() !== '# METADATA') continue;
    const start = i;
    const body: string[] = [];
    while (i + 1 < lines.length && lines[i + 1]!.startsWith('#')) body.push(lines[++i]!.slice(1).trimEnd());
    out.push({ row: start + 1, endRow: i + 1, yaml: body.join('\n') });
  }
  return out;
}

const RULE_SCOPES = new Set(['rule', 'document']);
const PACKAGE_SCOPES = new Set(['package', 'subpackages']);

/** OPA's JSON form of an annotation: authors and related resources become objects; unknown keys are errors. */
function normalise(raw: unknown, scope: string, loc: Location): RObject {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new RegoError('rego_parse_error', 'yaml: metadata block must be a mapping', loc);
  }
  const out = new RObject();
  out.set('scope', scope);
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    switch (k) {
      case 'scope': break;
      case 'title': case 'description': out.set(k, String(v)); break;
      case 'entrypoint': out.set(k, v === true); break;
      case 'organizations': out.set(k, fromJSON(Array.isArray(v) ? v.map(String) : [String(v)])); break;
      case 'authors':
        out.set(k, (Array.isArray(v) ? v : [v]).map((a): Value => {
          if (typeof a !== 'string') return fromJSON(a);
          const m = /^(.*?)\s*<([^>]*)>\s*$/.exec(a);
          const o = new RObject();
          if (!m) return o.set('name', a.trim());
          if (m[1]) o.set('name', m[1]);
          if (m[2]) o.set('email', m[2]);
          return o;
        }));
        break;
      case 'related_resources':
        out.set(k, (Array.isArray(v) ? v : [v]).map((r): Value => (typeof r === 'string' ? new RObject().set('ref', r) : fromJSON(r))));
        break;
      case 'schemas': case 'custom': out.set(k, fromJSON(v)); break;
      default: throw new RegoError('rego_parse_error', `invalid annotation: unknown key "${k}"`, loc);
    }
  }
  return out;
}

interface Attached { readonly scope: string; readonly value: RObject }

/** The annotations of one module: the package's and each rule's (by rule object). */
export interface ModuleAnnotations {
  readonly pkg: Attached[];
  readonly rules: Map<Rule, Attached[]>;
}

export function parseAnnotations(m: Module, source: string, errors: RegoError[]): ModuleAnnotations {
  const result: ModuleAnnotations = { pkg: [], rules: new Map() };
  if (!source.includes('# METADATA')) return result;
  const targets: { row: number; rule?: Rule }[] = [{ row: m.pkgLoc.row }, ...m.rules.map((r) => ({ row: r.loc.row, rule: r }))];
  for (const b of metadataBlocks(source)) {
    const loc: Location = { file: m.file, row: b.row, col: 1 };
    const target = targets.filter((t) => t.row > b.endRow).sort((x, y) => x.row - y.row)[0];
    if (!target) continue;
    try {
      const raw: unknown = b.yaml.trim() === '' ? {} : YAML.parse(b.yaml);
      const given = raw !== null && typeof raw === 'object' && 'scope' in raw ? String((raw as { scope: unknown }).scope) : undefined;
      const scope = given ?? (target.rule ? 'rule' : 'package');
      const allowed = target.rule ? RULE_SCOPES : PACKAGE_SCOPES;
      if (!allowed.has(scope)) {
        throw new RegoError('rego_parse_error', `invalid annotation scope '${scope}'. Use one of '${[...allowed].join("' or '")}'`, loc);
      }
      const att = { scope, value: normalise(raw ?? {}, scope, loc) };
      if (target.rule) result.rules.set(target.rule, [...(result.rules.get(target.rule) ?? []), att]);
      else result.pkg.push(att);
    } catch (e) {
      if (e instanceof RegoError) errors.push(e);
      else errors.push(new RegoError('rego_parse_error', `yaml: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`, loc));
    }
  }
  return result;
}

/** Every module's annotations, indexed for the chain: document scope by rule path, (sub)packages by package. */
export class AnnotationIndex {
  private readonly byRule = new Map<Rule, Attached[]>();
  private readonly documents = new Map<string, RObject>();
  private readonly packages = new Map<string, RObject>();
  private readonly subpackages = new Map<string, RObject>();

  add(m: Module, a: ModuleAnnotations, rulePath: (r: Rule) => readonly string[]): void {
    const pkgKey = m.pkg.join('.');
    for (const p of a.pkg) (p.scope === 'package' ? this.packages : this.subpackages).set(pkgKey, p.value);
    for (const [r, atts] of a.rules) {
      this.byRule.set(r, atts.filter((x) => x.scope === 'rule'));
      for (const d of atts) if (d.scope === 'document') this.documents.set(rulePath(r).join('.'), d.value);
    }
  }

  /** `rego.metadata.rule()`: the rule's own (rule scope) annotations, or `{}`. */
  rule(r: Rule): Value {
    return this.byRule.get(r)?.[0]?.value ?? new RObject();
  }

  /** `rego.metadata.chain()`: the rule, its document, its package, then enclosing packages' subpackages scope. */
  chain(r: Rule, pkg: readonly string[], path: readonly string[]): Value {
    const entry = (p: readonly string[], ann: RObject | undefined): Value => {
      const o = new RObject().set('path', [...p]);
      return ann ? o.set('annotations', ann) : o;
    };
    const out: Value[] = [entry(path, this.byRule.get(r)?.[0]?.value)];
    const doc = this.documents.get(path.join('.'));
    if (doc) out.push(entry(path, doc));
    const own = this.packages.get(pkg.join('.'));
    if (own) out.push(entry(pkg, own));
    for (let n = pkg.length; n > 0; n--) {
      const sub = this.subpackages.get(pkg.slice(0, n).join('.'));
      if (sub) out.push(entry(pkg.slice(0, n), sub));
    }
    return out;
  }
}

/** A constant term holding `v` (the folded value is set by the compiler's constant folding). */
function valueTerm(v: Value, loc: Location): Term {
  if (Array.isArray(v)) return { kind: 'array', items: v.map((x) => valueTerm(x, loc)), loc };
  if (v instanceof RObject) return { kind: 'object', pairs: v.sortedEntries().map(([k, x]) => [valueTerm(k, loc), valueTerm(x, loc)]), loc };
  if (v instanceof RSet) return { kind: 'set', items: v.sorted().map((x) => valueTerm(x, loc)), loc };
  return { kind: 'scalar', scalar: v, loc };
}

const METADATA_CALLS = new Set(['rego.metadata.rule', 'rego.metadata.chain']);

function isMetadataCall(t: Extract<Term, { kind: 'call' }>): boolean {
  if (t.fn.kind !== 'ref' || t.fn.head.kind !== 'var' || t.fn.head.name !== 'rego') return false;
  const name = ['rego', ...t.fn.path.map((p) => (p.kind === 'scalar' ? String(p.scalar) : '?'))].join('.');
  return METADATA_CALLS.has(name);
}

/**
 * Replaces `rego.metadata.rule()` / `rego.metadata.chain()` in a parsed rule with their constant values (before
 * name resolution); a call with an output argument becomes an equality with that argument.
 */
export function inlineMetadataCalls(r: Rule, value: (name: 'rule' | 'chain') => Value): void {
  const which = (t: Extract<Term, { kind: 'call' }>): 'rule' | 'chain' =>
    (t.fn.kind === 'ref' && t.fn.path[1]?.kind === 'scalar' && t.fn.path[1].scalar === 'rule' ? 'rule' : 'chain');
  const term = (t: Term): Term => {
    switch (t.kind) {
      case 'call': {
        if (isMetadataCall(t)) {
          const c = valueTerm(value(which(t)), t.loc);
          return t.args.length === 1 ? { kind: 'call', fn: { kind: 'var', name: 'eq', loc: t.loc }, args: [t.args[0]!, c], loc: t.loc } : c;
        }
        t.args = t.args.map(term);
        return t;
      }
      case 'ref': t.head = term(t.head); t.path = t.path.map(term); return t;
      case 'array': case 'set': t.items = t.items.map(term); return t;
      case 'object': t.pairs = t.pairs.map(([k, v]) => [term(k), term(v)]); return t;
      case 'arraycomp': case 'setcomp': t.term = term(t.term); body(t.body); return t;
      case 'objectcomp': t.key = term(t.key); t.val = term(t.val); body(t.body); return t;
      default: return t;
    }
  };
  const body = (b: Body): void => {
    for (const e of b) {
      const n = e.node;
      if (n.kind === 'term') n.term = term(n.term);
      else if (n.kind === 'somein') n.domain = term(n.domain);
      else if (n.kind === 'every') { n.domain = term(n.domain); body(n.body); }
      else if (n.kind === 'body') body(n.body);
      for (const w of e.withs) w.value = term(w.value);
    }
  };
  for (let c: Rule | undefined = r; c; c = c.else) {
    body(c.body);
    if (c.value) c.value = term(c.value);
    if (c.key) c.key = term(c.key);
  }
}
