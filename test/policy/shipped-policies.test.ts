import { describe, expect, it } from 'vitest';
import { readPolicyDir } from '../../src/policy/index.ts';
import { fromJSON, runPolicyTests } from '@deckhand/rego';

const bundle = await readPolicyDir('policies', { includeTests: true });
const report = runPolicyTests(bundle.modules, { data: fromJSON(bundle.data) });

describe('the shipped policies, by their own Rego tests (like `opa test policies`)', () => {
  it('compile without problems and have tests', () => {
    expect(report.compileErrors.map((e) => e.message)).toEqual([]);
    expect(report.results.length).toBeGreaterThanOrEqual(17);
  });

  it.each(report.results.map((r) => [r.name, r] as const))('%s', (_name, r) => {
    expect(r.error?.message).toBeUndefined();
    expect(r.status).toBe('pass');
  });
});
