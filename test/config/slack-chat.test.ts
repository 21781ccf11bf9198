import { describe, expect, it } from 'vitest';
import { formatConfigProblems, loadConfigText } from '../../src/config/index.ts';

const BASE = [
  'services:',
  '  api:',
  '    team: payments',
  '    repository: acme/api',
  '    image: registry.local/acme/api',
  "    versionPattern: '^v\\d+$'",
  '    environments:',
  '      staging: { namespace: staging, deployment: api, container: api, replicas: 1 }',
];

function load(chat: string[]) {
  return loadConfigText([...BASE, 'chat:', ...chat].join('\n'), 'slack.yaml', {});
}

describe('chat.slack in deckhand.yaml', () => {
  it('is absent unless the file says something about Slack', () => {
    const r = loadConfigText(BASE.join('\n'), 'slack.yaml', {});
    if (!r.ok) throw new Error(formatConfigProblems(r.problems));
    expect(r.config.chat.slack).toBeUndefined();
  });

  it('fills in the approval emoji and user groups defaults', () => {
    const r = load(['  slack: {}']);
    if (!r.ok) throw new Error(formatConfigProblems(r.problems));
    expect(r.config.chat.slack).toEqual({ approvalEmoji: 'white_check_mark', userGroups: true });
  });

  it.each([
    ['shipit', 'shipit'],
    [':shipit:', 'shipit'],
    ['+1', '+1'],
  ])('accepts the emoji %s as %s', (given, expected) => {
    const r = load(['  slack:', `    approvalEmoji: '${given}'`, '    userGroups: false']);
    if (!r.ok) throw new Error(formatConfigProblems(r.problems));
    expect(r.config.chat.slack).toEqual({ approvalEmoji: expected, userGroups: false });
  });

  it('reports a bad emoji and an unknown key at their place', () => {
    const r = load(['  slack:', "    approvalEmoji: 'Thumbs Up'", '    emoji: x']);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const text = formatConfigProblems(r.problems);
    expect(text).toContain('slack.yaml:11:20: chat.slack.approvalEmoji: must be an emoji name like white_check_mark');
    expect(text).toMatch(/slack\.yaml:12:5: chat\.slack: unknown key `emoji`/);
  });
});
