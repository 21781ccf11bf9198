import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/index.ts';

const base = (groups: string, people = '') => `
services:
  api:
    team: payments
    repository: acme/api
    image: registry.local/acme/api
    versionPattern: '^v\\d+$'
    environments:
      staging: { namespace: staging, deployment: api, container: api, replicas: 1 }
${people}
groups:
${groups}
`;

describe('config warnings and member ids', () => {
  it('warns about group entries that look like names, and about a team that is no group, at their line', () => {
    const r = loadConfigText(base('  approvers: [alice, slack:U024BE7LH]'), 'd.yaml', {});
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.warnings.map((w) => [w.line, w.message.slice(0, 40)])).toEqual([
      [4, '`payments` is not a group in `groups`, s'],
      [12, '`alice` looks like a name: it is not a p'],
    ]);
  });

  it('a person listed in people is no warning', () => {
    const r = loadConfigText(base('  payments: [alice]', 'people:\n  alice: { slack: U024BE7LH, discord: "80351110224678912" }'), 'd.yaml', {});
    expect(r.ok && r.warnings).toEqual([]);
  });

  it.each([
    ['slack:alice', 'is not a valid slack id'],
    ['discord:12', 'is not a valid discord id'],
    ['github:alice', 'is not a kind of member'],
    ['Alice Smith', 'neither a person'],
  ])('refuses the member %s', (member, message) => {
    const r = loadConfigText(base(`  payments: ['${member}']`), 'd.yaml', {});
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems.map((p) => p.message).join('\n')).toContain(message);
  });

  it('refuses a name where a Slack or Discord id belongs in people', () => {
    const r = loadConfigText(base('  payments: [alice]', 'people:\n  alice: { slack: alice, discord: 80351110224678912 }'), 'd.yaml', {});
    expect(r.ok).toBe(false);
    const messages = !r.ok ? r.problems.map((p) => p.message).join('\n') : '';
    expect(messages).toContain('must be a Slack user id');
    expect(messages).toContain('Discord user id in quotes');
  });
});
