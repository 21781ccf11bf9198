import { describe, expect, it } from 'vitest';
import { cardActionOf, actionIdFor, decodeSlackText, renderCardBlocks } from '../../../src/chat/slack/index.ts';
import type { Card, CardActionId } from '../../../src/chat/types.ts';
import { chat, userText } from '../../../src/deploy/index.ts';

const CARD: Card = {
  deployId: '7',
  channel: 'C0DEPLOY',
  title: chat`#7 api v1.5.0 (rolling) → production`,
  status: chat`🚀 Rolling out`,
  progress: { done: 2, total: 4, label: '2/4 updated · 2 available' },
  fields: [{ label: 'Service', value: userText('api') }, { label: 'Reason', value: userText('fix <login> & co') }],
  lines: [chat`Rolling out v1.5.0 (was v1.4.0)`],
  actions: [{ id: 'abort', label: 'Abort', style: 'danger', confirm: 'Abort deploy #7 and restore the previous version?' }],
  final: false,
};

describe('renderCardBlocks', () => {
  it('has a text fallback that says what is happening without the blocks', () => {
    expect(renderCardBlocks(CARD).text).toBe('#7 api v1.5.0 (rolling) → production: 🚀 Rolling out 2/4');
  });

  it('puts title and status first, then the progress bar, the fields, the lines and the buttons', () => {
    const { blocks } = renderCardBlocks(CARD);
    expect(blocks.map((b) => b.block_id)).toEqual(['status', 'progress', 'fields', 'lines', 'actions']);
    expect(JSON.stringify(blocks[1])).toContain('▓▓▓▓▓░░░░░ 2/4');
  });

  it('escapes what people typed so it cannot become a link or a mention', () => {
    const fields = renderCardBlocks(CARD).blocks.find((b) => b.block_id === 'fields');
    expect(JSON.stringify(fields)).toContain('fix &lt;login&gt; &amp; co');
  });

  it('marks every mrkdwn text verbatim, so Slack links and parses nothing on its own (a typed @channel stays words)', () => {
    const card: Card = { ...CARD, lines: [userText('ping @channel in #general, see https://example.com')], links: [{ label: 'Run', url: 'https://ci.example/1' }] };
    const texts: { type: string; verbatim?: boolean }[] = [];
    JSON.stringify(renderCardBlocks(card).blocks, (_key, value: unknown) => {
      if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'mrkdwn') texts.push(value as { type: string; verbatim?: boolean });
      return value;
    });
    expect(texts.length).toBeGreaterThanOrEqual(4);
    for (const t of texts) expect(t.verbatim).toBe(true);
  });

  it('gives every button the deploy id as value, an action id we can route, and a confirm dialog where asked', () => {
    const actions = renderCardBlocks(CARD).blocks.find((b) => b.type === 'actions');
    expect(actions).toMatchObject({
      elements: [{
        type: 'button', action_id: 'deckhand_abort', value: '7', style: 'danger',
        confirm: { title: { text: 'Abort?' }, text: { text: 'Abort deploy #7 and restore the previous version?' }, confirm: { text: 'Yes, abort' }, deny: { text: 'Cancel' }, style: 'danger' },
      }],
    });
  });

  it('leaves out what a card does not have (a final card has no buttons and no bar)', () => {
    const { blocks } = renderCardBlocks({ ...CARD, progress: undefined, actions: [], lines: [], status: chat`✅ Succeeded`, final: true });
    expect(blocks.map((b) => b.block_id)).toEqual(['status', 'fields']);
  });

  it('keeps within Slack limits for very long lines', () => {
    const { blocks } = renderCardBlocks({ ...CARD, lines: [userText('x'.repeat(5000))] });
    const lines = blocks.find((b) => b.block_id === 'lines') as { elements: { text: string }[] };
    expect(lines.elements[0]?.text.length).toBeLessThanOrEqual(3000);
  });
});

describe('action ids', () => {
  it.each(['approve', 'deny', 'rollback', 'promote', 'pause', 'resume', 'abort'] as CardActionId[])('%s round-trips', (a) => {
    expect(cardActionOf(actionIdFor(a))).toBe(a);
  });

  it('ignores action ids that are not ours', () => {
    expect(cardActionOf('deckhand_explode')).toBeUndefined();
    expect(cardActionOf('approve')).toBeUndefined();
  });
});

describe('decodeSlackText', () => {
  it.each([
    ['a &lt;b&gt; &amp; c', 'a <b> & c'],
    ['&amp;lt;', '&lt;'],
    ['plain', 'plain'],
  ])('%s → %s', (given, expected) => {
    expect(decodeSlackText(given)).toBe(expected);
  });
});
