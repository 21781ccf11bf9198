/**
 * Rego's static types as OPA's `types` package models them, only as far as the compile-time checks need: parse
 * the notation of builtins/decls.ts, print types as OPA prints them (error messages are compared with OPA's), and
 * decide whether two types unify (OPA's `unifies`: any value both could hold).
 */

export type RType =
  | { readonly k: 'null' | 'boolean' | 'number' | 'string' }
  /** A union; no members means `any`. */
  | { readonly k: 'any'; readonly of: readonly RType[] }
  | { readonly k: 'array'; readonly static: readonly RType[]; readonly dynamic: RType | undefined }
  | { readonly k: 'object'; readonly static: readonly (readonly [string, RType])[]; readonly dynamic: readonly [RType, RType] | undefined }
  | { readonly k: 'set'; readonly of: RType };

export const ANY: RType = { k: 'any', of: [] };
export const T_STRING: RType = { k: 'string' };
export const T_NUMBER: RType = { k: 'number' };
export const T_BOOLEAN: RType = { k: 'boolean' };
export const T_NULL: RType = { k: 'null' };

/** OPA's `types.Sprint`; `???` stands for an unknown type, as in OPA's messages. */
export function typeString(t: RType | undefined): string {
  if (!t) return '???';
  switch (t.k) {
    case 'any': return t.of.length === 0 ? 'any' : `any<${t.of.map(typeString).join(', ')}>`;
    case 'array': {
      let s = 'array';
      if (t.static.length > 0) s += `<${t.static.map(typeString).join(', ')}>`;
      if (t.dynamic) s += `[${typeString(t.dynamic)}]`;
      return s;
    }
    case 'object': {
      let s = 'object';
      if (t.static.length > 0) s += `<${t.static.map(([k, v]) => `${k}: ${typeString(v)}`).join(', ')}>`;
      if (t.dynamic) s += `[${typeString(t.dynamic[0])}: ${typeString(t.dynamic[1])}]`;
      return s;
    }
    case 'set': return `set[${typeString(t.of)}]`;
    default: return t.k;
  }
}

/** Parses the notation `typeString` prints. Throws on malformed text (the declarations are ours). */
export function parseType(text: string): RType {
  let i = 0;
  const ws = (): void => { while (text[i] === ' ') i++; };
  const eat = (s: string): boolean => { ws(); if (text.startsWith(s, i)) { i += s.length; return true; } return false; };
  const expect = (s: string): void => { if (!eat(s)) throw new Error(`type ${text}: expected '${s}' at ${i}`); };
  const word = (): string => { ws(); const m = /^[a-z_]+/.exec(text.slice(i)); if (!m) throw new Error(`type ${text}: name expected at ${i}`); i += m[0].length; return m[0]; };
  const list = (): RType[] => { const out = [one()]; while (eat(',')) out.push(one()); return out; };
  function one(): RType {
    const w = word();
    switch (w) {
      case 'null': case 'boolean': case 'number': case 'string': return { k: w };
      case 'any': {
        if (!eat('<')) return ANY;
        const of = list(); expect('>');
        return { k: 'any', of };
      }
      case 'set': { expect('['); const of = one(); expect(']'); return { k: 'set', of }; }
      case 'array': {
        let st: RType[] = [];
        if (eat('<')) { st = list(); expect('>'); }
        let dyn: RType | undefined;
        if (eat('[')) { dyn = one(); expect(']'); }
        return { k: 'array', static: st, dynamic: dyn };
      }
      case 'object': {
        const st: [string, RType][] = [];
        if (eat('<')) {
          do { const key = word(); expect(':'); st.push([key, one()]); } while (eat(','));
          expect('>');
        }
        let dyn: [RType, RType] | undefined;
        if (eat('[')) { const kt = one(); expect(':'); dyn = [kt, one()]; expect(']'); }
        return { k: 'object', static: st, dynamic: dyn };
      }
      default: throw new Error(`type ${text}: unknown type ${w}`);
    }
  }
  const t = one();
  ws();
  if (i !== text.length) throw new Error(`type ${text}: trailing text at ${i}`);
  return t;
}

function selectArray(t: Extract<RType, { k: 'array' }>, i: number): RType | undefined {
  return i < t.static.length ? t.static[i] : t.dynamic;
}

function selectObject(t: Extract<RType, { k: 'object' }>, key: string): RType | undefined {
  const hit = t.static.find(([k]) => k === key);
  return hit ? hit[1] : t.dynamic?.[1];
}

/** OPA's `unifies`: true when some value could have both types. */
export function unifies(a: RType, b: RType): boolean {
  if (a.k === 'any' && (a.of.length === 0 || a.of.some((x) => unifies(x, b)))) return true;
  if (b.k === 'any' && (b.of.length === 0 || b.of.some((x) => unifies(a, x)))) return true;
  if (a.k === 'any' || b.k === 'any') return false;
  switch (a.k) {
    case 'array': {
      if (b.k !== 'array') return false;
      const staticOk = (x: typeof a, y: typeof a): boolean => x.static.every((t, i) => { const o = selectArray(y, i); return o !== undefined && unifies(t, o); });
      return staticOk(a, b) && staticOk(b, a) && (!a.dynamic || !b.dynamic || unifies(a.dynamic, b.dynamic));
    }
    case 'object': {
      if (b.k !== 'object') return false;
      const staticOk = (x: typeof a, y: typeof a): boolean => x.static.every(([k, t]) => { const o = selectObject(y, k); return o !== undefined && unifies(t, o); });
      return staticOk(a, b) && staticOk(b, a) && (!a.dynamic || !b.dynamic || unifies(a.dynamic[1], b.dynamic[1]));
    }
    case 'set': return b.k === 'set' && unifies(a.of, b.of);
    default: return a.k === b.k;
  }
}

/** The union of some types, as OPA's `types.Or` builds it for set literals: one member stays itself. */
export function union(ts: readonly RType[]): RType {
  const out: RType[] = [];
  for (const t of ts) if (!out.some((o) => typeString(o) === typeString(t))) out.push(t);
  if (out.some((t) => t.k === 'any' && t.of.length === 0)) return ANY;
  return out.length === 1 ? out[0]! : { k: 'any', of: sortTypes(out) };
}

const ORDER = ['any', 'null', 'boolean', 'number', 'string', 'array', 'object', 'set'];

function sortTypes(ts: RType[]): RType[] {
  return ts.sort((x, y) => ORDER.indexOf(x.k) - ORDER.indexOf(y.k));
}
