import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KNOWN_FAILURES, loadCases, runCase, runConformance, skipReasonOf, formatConformanceReport } from '../src/conformance.ts';
import type { LoadedCase } from '../src/conformance.ts';

// Two sets of cases in OPA's YAML format, judged the same way and reported per folder:
// OPA's own, copied unmodified (fixtures/opa-conformance/ORIGIN.md says from where), and ours (cases/README.md).
const OPA_DIR = fileURLToPath(new URL('./fixtures/opa-conformance/cases', import.meta.url));
const OWN_DIR = fileURLToPath(new URL('./cases', import.meta.url));

const opaCases = await loadCases(OPA_DIR);
const ownCases = existsSync(OWN_DIR) ? await loadCases(OWN_DIR) : [];

function byFolder(cases: readonly LoadedCase[]): Map<string, LoadedCase[]> {
  const out = new Map<string, LoadedCase[]>();
  for (const c of cases) out.set(c.folder, [...(out.get(c.folder) ?? []), c]);
  return out;
}

/** One vitest test per case; a skipped case shows its reason in its name. */
function describeCases(title: string, cases: readonly LoadedCase[]): void {
  describe(title, () => {
    for (const [folder, list] of byFolder(cases)) {
      describe(folder, () => {
        const rows = list.map((c) => ({ name: `${c.file}#${c.index} ${c.case.note}`, c, skip: skipReasonOf(c.case) }));
        const judged = rows.filter((r) => r.skip === undefined);
        const skipped = rows.filter((r) => r.skip !== undefined).map((r) => ({ ...r, name: `${r.name} — ${r.skip}` }));
        if (judged.length > 0) {
          it.each(judged)('$name', ({ c }) => {
            const outcome = runCase(c.case);
            // A known failure comes back as a skip with its reason while it still fails, as a failure once it passes.
            expect(outcome.status === 'fail' ? outcome.reason : 'not failed').toBe('not failed');
          });
        }
        if (skipped.length > 0) it.skip.each(skipped)('$name', () => {});
      });
    }
  });
}

describe('conformance cases', () => {
  it('holds all of the copied OPA cases', () => {
    expect(opaCases.length).toBe(1368);
  });

  it('skips an OPA case only for a builtin out of scope, each with its reason', () => {
    const skipped = opaCases.flatMap((c) => { const why = skipReasonOf(c.case); return why ? [`${c.case.note}: ${why}`] : []; });
    expect(skipped).toHaveLength(2);
    for (const s of skipped) expect(s).toMatch(/^withkeyword\/builtin: .*: out of scope: needs http\.send \(reaches the network/);
  });

  it('lists only known failures that exist among the cases', () => {
    const notes = new Set([...opaCases, ...ownCases].map((c) => c.case.note));
    expect([...KNOWN_FAILURES.keys()].filter((n) => !notes.has(n))).toEqual([]);
  });
});

describeCases('OPA conformance (v1.19.0 copy)', opaCases);
if (ownCases.length > 0) describeCases('our own cases (packages/rego/test/cases)', ownCases);

describe('the conformance report', () => {
  it('reports a single folder of cases under its own name, with every skip and its reason', async () => {
    const report = await runConformance(`${OPA_DIR}/withkeyword`);
    expect(report.folders.map((f) => f.folder)).toEqual(['withkeyword']);
    const text = formatConformanceReport(report);
    expect(text).toMatch(/^ok {10}withkeyword: \d+ passed, 0 failed, 2 skipped$/m);
    expect(text).toContain('skip test-with-builtin-mock.yaml#6 "withkeyword/builtin: http.send example": out of scope: needs http.send');
    expect(text).toMatch(/^Total: \d+ passed, 0 failed, 2 skipped \(\d+ cases; 1 of 1 folders at 100%/m);
  });

  it('names a known failure as a skip with its reason while it still fails', () => {
    const known = opaCases.find((c) => KNOWN_FAILURES.has(c.case.note));
    expect(known).toBeDefined();
    const outcome = known && runCase(known.case);
    expect(outcome).toEqual({ status: 'skip', reason: `known failure: ${KNOWN_FAILURES.get(known?.case.note ?? '')}` });
  });

  it('fails a case whose result differs, saying how', () => {
    const outcome = runCase({ note: 'made-up/wrong', query: 'data.t.p = x', modules: ['package t\np := 1'], want_result: [{ x: 2 }] });
    expect(outcome.status).toBe('fail');
    expect(outcome.status === 'fail' && outcome.reason).toMatch(/result .*1.* != want .*2/);
  });

  it('judges an expected compile error by its code (our own cases check compile stages)', () => {
    const c = { note: 'made-up/unsafe', query: 'data.t.p = x', modules: ['package t\np if { x }'] };
    expect(runCase({ ...c, want_error_code: 'rego_unsafe_var_error' })).toEqual({ status: 'pass' });
    expect(runCase({ ...c, want_error_code: 'rego_type_error' }).status).toBe('fail');
    expect(runCase({ ...c, want_result: [] }).status).toBe('fail');
  });
});
