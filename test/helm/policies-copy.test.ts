import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHART, ROOT } from './chart.ts';

// Helm can only package files inside the chart, so the policies are copied into files/policies. This keeps the
// copy equal to policies/ (the Rego tests stay out: they are not deployed). Refresh with:
//   cp policies/*.rego policies/data.json helm/deckhand/files/policies/ && rm helm/deckhand/files/policies/*_test.rego
describe("the chart's copy of the policies", () => {
  const deployed = readdirSync(join(ROOT, 'policies')).filter((n) => (n.endsWith('.rego') && !n.endsWith('_test.rego')) || n === 'data.json').sort();

  it('has exactly the deployed policy files', () => {
    expect(readdirSync(join(CHART, 'files', 'policies')).sort()).toEqual(deployed);
  });

  it.each(deployed)('%s is identical to policies/%s', (name) => {
    expect(readFileSync(join(CHART, 'files', 'policies', name), 'utf8')).toBe(readFileSync(join(ROOT, 'policies', name), 'utf8'));
  });
});
