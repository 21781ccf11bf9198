import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readChartFile } from './chart.ts';

// helm/deckhand/README.md says which chart checks ran; this keeps that list equal to the test files.
describe('helm/deckhand/README.md', () => {
  const readme = readChartFile('README.md');
  const tests = readdirSync(fileURLToPath(new URL('.', import.meta.url))).filter((n) => n.endsWith('.test.ts'));

  it.each(tests)('names %s', (name) => {
    expect(readme).toContain(`\`${name}\``);
  });

  it('names no test file that does not exist', () => {
    const named = [...readme.matchAll(/`([\w-]+\.test\.ts)`/g)].map((m) => m[1]);
    expect(named.filter((n) => n !== undefined && !tests.includes(n))).toEqual([]);
  });

  it('says that helm lint and helm template were not run', () => {
    expect(readme).toMatch(/`helm lint`, `helm template` and `helm install` have not been run/);
  });
});
