import { describe, expect, it } from 'vitest';
import { formatConfigProblems, loadConfigText } from '../../src/config/index.ts';
import { serviceYaml } from './service-yaml.ts';

describe('audit retention', () => {
  it('keeps a million entries when nothing is said', () => {
    const r = loadConfigText(serviceYaml(), 'deckhand.yaml', {});
    if (!r.ok) throw new Error(formatConfigProblems(r.problems));
    expect(r.config.audit).toEqual({ maxEntries: 1_000_000 });
  });

  it('reads audit.maxEntries', () => {
    const r = loadConfigText(serviceYaml('audit:\n  maxEntries: 50000\n'), 'deckhand.yaml', {});
    if (!r.ok) throw new Error(formatConfigProblems(r.problems));
    expect(r.config.audit.maxEntries).toBe(50_000);
  });

  it.each([
    ['too few to be an audit log', 'audit:\n  maxEntries: 10\n', /maxEntries/],
    ['not a whole number', 'audit:\n  maxEntries: 1.5\n', /maxEntries/],
    ['an unknown key', 'audit:\n  maxEntrys: 5000\n', /maxEntrys/],
  ])('reports %s at the key', (_name, extra, problem) => {
    const r = loadConfigText(serviceYaml(extra), 'deckhand.yaml', {});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(formatConfigProblems(r.problems)).toMatch(problem);
  });
});
