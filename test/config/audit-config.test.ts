import { describe, expect, it } from 'vitest';
import { formatConfigProblems, loadConfigText } from '../../src/config/index.ts';

const service = (extra = '') => `
services:
  api:
    team: payments
    repository: acme/api
    image: registry.local/acme/api
    versionPattern: 'v\\d+\\.\\d+\\.\\d+'
    environments:
      staging: { namespace: staging, deployment: api, container: api, replicas: 1 }
${extra}`;

describe('audit retention', () => {
  it('keeps a million entries when nothing is said', () => {
    const r = loadConfigText(service(), 'deckhand.yaml', {});
    if (!r.ok) throw new Error(formatConfigProblems(r.problems));
    expect(r.config.audit).toEqual({ maxEntries: 1_000_000 });
  });

  it('reads audit.maxEntries', () => {
    const r = loadConfigText(service('audit:\n  maxEntries: 50000\n'), 'deckhand.yaml', {});
    if (!r.ok) throw new Error(formatConfigProblems(r.problems));
    expect(r.config.audit.maxEntries).toBe(50_000);
  });

  it.each([
    ['too few to be an audit log', 'audit:\n  maxEntries: 10\n', /maxEntries/],
    ['not a whole number', 'audit:\n  maxEntries: 1.5\n', /maxEntries/],
    ['an unknown key', 'audit:\n  maxEntrys: 5000\n', /maxEntrys/],
  ])('reports %s at the key', (_name, extra, problem) => {
    const r = loadConfigText(service(extra), 'deckhand.yaml', {});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(formatConfigProblems(r.problems)).toMatch(problem);
  });
});
