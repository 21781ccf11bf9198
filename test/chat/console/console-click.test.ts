import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ConsoleAdapter } from '../../../src/chat/console/index.ts';
import type { Card, ChatEvent } from '../../../src/chat/types.ts';
import { chat } from '../../../src/deploy/index.ts';

const card: Card = {
  deployId: '3', channel: 'console', title: chat`#3 ${'search'} ${'v4.1.0'} (Argo Rollouts) → ${'production'}`, status: chat`🚀 Rolling out`,
  fields: [], lines: [], final: false,
  actions: [{ id: 'promote', label: 'Promote', style: 'primary' }, { id: 'pause', label: 'Pause' }, { id: 'abort', label: 'Abort', style: 'danger' }],
};

describe('.click in the console', () => {
  let adapter: ConsoleAdapter | undefined;
  afterEach(async () => { await adapter?.stop(); });

  async function run(lines: string[]): Promise<{ events: ChatEvent[]; printed: string }> {
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (c: Buffer) => { printed += c.toString('utf8'); });
    const events: ChatEvent[] = [];
    let done = 0;
    const finished = new Promise<void>((resolve) => {
      adapter = new ConsoleAdapter({ input, output, defaultUser: 'you', live: false, onLineDone: () => { if (++done === lines.length) resolve(); } });
    });
    await adapter?.start({ cardRefs: undefined as never, onEvent: async (e, respond) => { events.push(e); await respond({ text: chat`ok` }); } });
    await adapter?.upsertCard(card);
    for (const l of lines) input.write(`${l}\n`);
    await finished;
    return { events, printed };
  }

  it('presses a button the card shows, as the speaker, like a click in Slack', async () => {
    const { events } = await run(['.click Promote 3', '@bob .click abort #3']);
    expect(events.map((e) => e.kind === 'action' && [e.action, e.deployId, e.actor.id])).toEqual([['promote', '3', 'you'], ['abort', '3', 'bob']]);
  });

  it('refuses a button the card does not show, and a deploy without a card, without sending anything', async () => {
    const { events, printed } = await run(['.click Rollback 3', '.click Promote 9', '.click']);
    expect(events).toEqual([]);
    expect(printed).toContain("Deploy #3's card has no Rollback button now; it shows: Promote, Pause, Abort.");
    expect(printed).toContain('No card of deploy #9 shows buttons here.');
    expect(printed).toContain('Usage: .click <button> <deploy number>');
  });
});
