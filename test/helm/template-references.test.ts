import { describe, expect, it } from 'vitest';
import { readTemplates, readValues } from './chart.ts';

/** Every `.Values.a.b` (also `$.Values.a.b`) in a template, with the template it appears in. */
function valuesReferences(): { template: string; path: string[] }[] {
  return [...readTemplates()].flatMap(([template, text]) =>
    [...text.matchAll(/\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)].map((m) => ({ template, path: (m[1] ?? '').slice(1).split('.') })));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The dotted paths of every value in values.yaml, down to the leaves (lists and empty maps are leaves). */
function valuePaths(node: unknown, prefix: string[] = []): string[][] {
  if (!isObject(node) || Object.keys(node).length === 0) return [prefix];
  return Object.entries(node).flatMap(([k, v]) => valuePaths(v, [...prefix, k]));
}

// Values read as a whole (toYaml, range) whose inner keys belong to someone else: deckhand.yaml is Deckhand's,
// policies.files is keyed by file name.
const OPAQUE = ['config', 'policies.files'];

describe('.Values references in templates', () => {
  it('finds references (the check would pass vacuously otherwise)', () => {
    expect(valuesReferences().length).toBeGreaterThan(40);
  });

  it('each names a key that exists in values.yaml', () => {
    const values = readValues();
    const missing = valuesReferences().filter(({ path }) => {
      let node: unknown = values;
      for (const key of path) {
        if (!isObject(node) || !(key in node)) return true;
        node = node[key];
      }
      return false;
    });
    expect(missing.map(({ template, path }) => `${template}: .Values.${path.join('.')}`)).toEqual([]);
  });

  it('every value in values.yaml is read by some template (no dead settings)', () => {
    const used = new Set(valuesReferences().map(({ path }) => path.join('.')));
    const isUsed = (path: string[]): boolean => path.some((_, i) => used.has(path.slice(0, i + 1).join('.')));
    const unused = valuePaths(readValues())
      .filter((path) => !OPAQUE.some((o) => path.join('.').startsWith(o)))
      .filter((path) => !isUsed(path));
    expect(unused.map((p) => p.join('.'))).toEqual([]);
  });
});
