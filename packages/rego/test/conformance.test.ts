import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ALLOWED_SKIPS, loadCases, runCase } from '../src/conformance.ts';
import type { LoadedCase } from '../src/conformance.ts';
import { KNOWN_FAILURES } from './conformance-known-failures.ts';

// OPA's own cases, copied unmodified into the repository (fixtures/opa-conformance/ORIGIN.md says from where).
const CASES_DIR = fileURLToPath(new URL('./fixtures/opa-conformance/cases', import.meta.url));
const cases = await loadCases(CASES_DIR);
const known = new Set(KNOWN_FAILURES.map((f) => `${f.file}#${f.index}`));

const byFolder = new Map<string, LoadedCase[]>();
for (const c of cases) byFolder.set(c.folder, [...(byFolder.get(c.folder) ?? []), c]);

describe('OPA conformance', () => {
  it('loads all cases', () => {
    expect(cases.length).toBe(1368);
  });

  it('skips only the allowed cases', () => {
    const skipped = cases.filter((c) => ALLOWED_SKIPS.has(c.case.note)).map((c) => c.case.note);
    expect(new Set(skipped)).toEqual(new Set(ALLOWED_SKIPS.keys()));
  });

  for (const [folder, list] of byFolder) {
    describe(folder, () => {
      const rows = list.map((c) => ({ name: `${c.file}#${c.index} ${c.case.note}`, c }));
      const skipped = rows.filter(({ c }) => ALLOWED_SKIPS.has(c.case.note));
      const failing = rows.filter(({ c }) => !ALLOWED_SKIPS.has(c.case.note) && known.has(`${c.file}#${c.index}`));
      const passing = rows.filter((r) => !skipped.includes(r) && !failing.includes(r));
      const run = ({ c }: { c: LoadedCase }): void => {
        const outcome = runCase(c.case);
        expect(outcome.status === 'fail' ? outcome.reason : 'pass').toBe('pass');
      };
      if (passing.length > 0) it.each(passing)('$name', run);
      if (failing.length > 0) it.fails.each(failing)('$name', run);
      if (skipped.length > 0) it.skip.each(skipped)('$name', run);
    });
  }
});
