import { describe, expect, it } from 'vitest';
import type { Card } from '../../src/chat/types.ts';
import type { Deploy } from '../../src/deploy/index.ts';
import { CardPublisher } from '../../src/notify/index.ts';

function deploy(over: Partial<Deploy> = {}): Deploy {
  return {
    id: '4', service: 'api', env: 'production', channel: 'c', phase: 'awaiting_approval', step: 'gate', steering: {}, state: {}, approvals: [],
    action: { kind: 'deploy', version: 'v1.5.0', strategy: { kind: 'rolling' } }, reason: 'checkout is down',
    requestedBy: { id: 'alice', name: 'alice', platform: 'console', groups: [] }, createdAt: '', updatedAt: '', ...over,
  };
}

describe('the approval card keeps what the deploy waits for', () => {
  it('shows the freeze and the reason above each vote until the deploy moves on', async () => {
    const cards: Card[] = [];
    const publisher = new CardPublisher(async (_platform, card) => { cards.push(card); });
    const waiting = '❄️ Hotfix during a freeze: production is frozen by carol (“black friday”). Reason given: “checkout is down”.\nNeeds 2 approval(s) from approvers: /approve 4';

    publisher.publish({ kind: 'phase', deploy: deploy(), phase: 'awaiting_approval', message: waiting });
    publisher.publish({ kind: 'note', deploy: deploy(), message: 'Approved by bob (1/2)' });
    publisher.publish({ kind: 'phase', deploy: deploy({ phase: 'queued' }), phase: 'queued', message: 'Approved by carol; queued' });
    await publisher.flush();

    expect(cards.map((c) => c.lines.map(String))).toEqual([
      [waiting],
      [waiting, 'Approved by bob (1/2)'],
      ['Approved by carol; queued'],
    ]);
  });
});
