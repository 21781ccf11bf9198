/** The builtin declarations table against the registry: every builtin declared, arities agreeing, types parsing. */
import { describe, expect, it } from 'vitest';
import { BUILTIN_DECLS, createBuiltinRegistry } from '../../src/index.ts';
import { parseType, typeString, unifies } from '../../src/compile/rego-types.ts';

describe('builtin declarations', () => {
  it('every type is in OPA notation: it parses and prints back unchanged', () => {
    for (const [name, d] of BUILTIN_DECLS) {
      for (const t of [...d.args, ...(d.result ? [d.result] : [])]) expect(typeString(parseType(t)), name).toBe(t);
    }
  });

  it('every registered builtin is declared, with the arity it is implemented with', () => {
    for (const [name, b] of createBuiltinRegistry()) {
      const d = BUILTIN_DECLS.get(name);
      expect(d, `${name} has no declaration`).toBeDefined();
      expect(d!.args.length, name).toBe(b.arity);
    }
  });

  it('unifies as OPA: unions by member, arrays and objects by position and key', () => {
    const u = (a: string, b: string): boolean => unifies(parseType(a), parseType(b));
    expect(u('number', 'any<string, number>')).toBe(true);
    expect(u('string', 'any<array[any], set[any]>')).toBe(false);
    expect(u('array<number, string>', 'array[any<number, string>]')).toBe(true);
    expect(u('array<number>', 'array<number, number>')).toBe(false);
    expect(u('object<a: number>', 'object[string: number]')).toBe(true);
    expect(u('object<a: number>', 'object[string: string]')).toBe(false);
    expect(u('set[number]', 'set[string]')).toBe(false);
  });
});
