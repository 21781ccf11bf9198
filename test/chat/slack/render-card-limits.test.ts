import { describe, expect, it } from 'vitest';
import { renderCardBlocks } from '../../../src/chat/slack/index.ts';
import type { Deploy } from '../../../src/deploy/index.ts';
import { renderCard } from '../../../src/notify/index.ts';

/** The longest of everything the parser and the platforms let in, with an emoji where most cuts fall. */
const REASON = `${'<!channel> '.repeat(272)}${'😀'.repeat(300)}`.slice(0, 4000);
const NAME = `${'N'.repeat(70)}😀<@U0X>`;

function extreme(over: Partial<Deploy> = {}): Deploy {
  return {
    id: '7', service: 'api', env: 'production', channel: 'C0DEPLOY', phase: 'awaiting_approval', step: 'approval', steering: {}, state: {},
    action: { kind: 'deploy', version: `v${'9'.repeat(127)}`, strategy: { kind: 'rolling' } },
    requestedBy: { id: 'U0ALICE', name: NAME, platform: 'slack', groups: [] },
    approvals: Array.from({ length: 40 }, (_, i) => ({ actor: { id: `U${i}`, name: `${NAME}${i}`, platform: 'slack' as const, groups: [] }, at: '', vote: 'approve' as const })),
    reason: REASON, summary: `${'&'.repeat(3000)}😀${'>'.repeat(2000)}`,
    createdAt: '', updatedAt: '', ...over,
  };
}

type Text = { type: string; text: string };
type AnyBlock = { type: string; block_id?: string; text?: Text; fields?: Text[]; elements?: (Text & { text: Text | string; confirm?: Record<string, Text> })[] };

/** Every mrkdwn text object of a message, with the limit Slack puts on it. */
function mrkdwnTexts(blocks: AnyBlock[]): { text: string; max: number }[] {
  return blocks.flatMap((b) => [
    ...(b.text ? [{ text: b.text.text, max: 3000 }] : []),
    ...(b.fields ?? []).map((f) => ({ text: f.text, max: 2000 })),
    ...(b.type === 'context' ? (b.elements ?? []).map((e) => ({ text: e.text as string, max: 3000 })) : []),
  ]);
}

describe('the Slack card within Block Kit limits, for the longest inputs the parser accepts', () => {
  it.each([
    ['awaiting approval', extreme()],
    ['rolling out with a canary', extreme({ phase: 'rolling_out', step: 'hold', action: { kind: 'deploy', version: `v${'9'.repeat(127)}`, strategy: { kind: 'canary', percent: 5 } } })],
    ['succeeded', extreme({ phase: 'succeeded', step: 'done' })],
  ])('%s', (_name, d) => {
    const card = renderCard(d, {
      note: `${'x'.repeat(2999)}😀`,
      releaseNotes: '• <!here> '.repeat(1000),
      approvalsNeeded: { required: 3, have: 1, eligible: Array.from({ length: 50 }, (_, i) => `group-${i}-<!subteam^S${i}>`) },
      progress: { desired: 3, updated: 1, available: 1, ready: 1 },
    });
    const { text, blocks } = renderCardBlocks(card);

    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(text.isWellFormed()).toBe(true);
    const texts = mrkdwnTexts(blocks as AnyBlock[]);
    expect(texts.length).toBeGreaterThan(3);
    for (const t of texts) {
      expect(t.text.length).toBeLessThanOrEqual(t.max);
      expect(t.text.length).toBeGreaterThan(0);
      expect(t.text.isWellFormed()).toBe(true);
      // Nothing anybody typed reaches Slack as `<…>`.
      expect(t.text).not.toMatch(/[<>]/);
    }
    const fields = (blocks as AnyBlock[]).find((b) => b.block_id === 'fields')?.fields ?? [];
    expect(fields.length).toBeLessThanOrEqual(10);
    for (const b of (blocks as AnyBlock[]).filter((x) => x.type === 'actions')) {
      for (const button of b.elements ?? []) {
        expect((button.text as Text).text.length).toBeLessThanOrEqual(75);
        for (const [k, v] of Object.entries(button.confirm ?? {})) {
          if (typeof v === 'object' && 'text' in v) expect(v.text.length).toBeLessThanOrEqual(k === 'text' ? 300 : k === 'title' ? 100 : 30);
        }
      }
    }
  });

  it('ends a cut reason with … and keeps what fits of it', () => {
    const fields = (renderCardBlocks(renderCard(extreme())).blocks as AnyBlock[]).find((b) => b.block_id === 'fields')!.fields!;
    const reason = fields.find((f) => f.text.startsWith('*Reason*'))!;
    expect(reason.text.startsWith('*Reason*\n&lt;!channel&gt; ')).toBe(true);
    expect(reason.text.endsWith('…')).toBe(true);
  });
});
