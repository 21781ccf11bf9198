import { describe, expect, it } from 'vitest';
import type { ChatText, Deploy } from '../../src/deploy/index.ts';
import { renderCard } from '../../src/notify/index.ts';

const HOSTILE = '<!channel> *x* `y` @everyone';

function deploy(over: Partial<Deploy> = {}): Deploy {
  return {
    id: '7', service: 'api', env: 'production', channel: 'C1', phase: 'awaiting_approval', step: 'approval', steering: {}, state: {},
    action: { kind: 'deploy', version: 'v1.5.0', strategy: { kind: 'rolling' } },
    requestedBy: { id: 'U1', name: `alice ${HOSTILE}`, platform: 'slack', groups: [] },
    approvals: [{ actor: { id: 'U2', name: `bob ${HOSTILE}`, platform: 'slack', groups: [] }, at: '', vote: 'approve' }],
    reason: `hotfix ${HOSTILE}`, summary: `summary ${HOSTILE}`, createdAt: '', updatedAt: '', ...over,
  };
}

/** The text of `t` that a renderer would treat as Deckhand's own markup. */
const markupOf = (t: ChatText): string => t.segments.map((s) => ('markup' in s ? s.markup : '')).join('');
const userOf = (t: ChatText): string => t.segments.map((s) => ('user' in s ? s.user : '')).join('');

describe('the card keeps Deckhand\'s words and everybody else\'s text apart', () => {
  const card = renderCard(deploy(), {
    note: `note ${HOSTILE}`,
    releaseNotes: `notes ${HOSTILE}`,
    approvalsNeeded: { required: 2, have: 1, eligible: [`approvers ${HOSTILE}`] },
  });
  const all = [card.title, card.status, ...card.fields.map((f) => f.value), ...card.lines];

  it('has no user text in any markup segment', () => {
    for (const t of all) expect(markupOf(t)).not.toContain(HOSTILE);
  });

  it.each(['alice', 'bob', 'hotfix', 'summary', 'note', 'notes', 'approvers'])('carries %s… as user text', (word) => {
    expect(all.some((t) => userOf(t).includes(`${word} ${HOSTILE}`))).toBe(true);
  });

  it('writes its own command hint as markup (a code span), with the deploy id inside it', () => {
    const hint = card.lines.find((l) => l.toString().includes('/approve'))!;
    expect(markupOf(hint)).toContain('Approve with `/approve ');
    expect(hint.toString()).toContain('Approve with `/approve 7`.');
  });

  it('takes the version in the title as typed: user text', () => {
    const title = renderCard(deploy({ action: { kind: 'deploy', version: 'v1_2-rc', strategy: { kind: 'canary', percent: 5 } } })).title;
    expect(userOf(title)).toContain('v1_2-rc');
    expect(title.toString()).toBe('#7 api v1_2-rc (canary 5%) → production');
  });
});
