import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ConsoleAdapter } from '../../../src/chat/console/index.ts';
import { fitToWidth } from '../../../src/chat/console/fit-to-width.ts';
import type { Card } from '../../../src/chat/types.ts';
import { chat } from '../../../src/deploy/index.ts';
import { screen } from '../../helpers/terminal-screen.ts';

function progressCard(done: number): Card {
  return {
    deployId: '1', channel: 'console', title: chat`#1 ${'api'} ${'v1.5.0'} (rolling) → ${'staging'}`, status: chat`🚀 Rolling out`,
    progress: { done, total: 4, label: `${done}/4 updated` }, fields: [], lines: [], actions: [], final: false,
  };
}

describe('the console at a terminal (live mode)', () => {
  let adapter: ConsoleAdapter | undefined;
  afterEach(async () => { await adapter?.stop(); });

  async function startLive(o: { onInterrupt?: () => void } = {}): Promise<{ input: PassThrough; printed: () => string }> {
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (c: Buffer) => { printed += c.toString('utf8'); });
    adapter = new ConsoleAdapter({ input, output, defaultUser: 'alice', live: true, ...o });
    await adapter.start({ cardRefs: undefined as never, onEvent: async (_e, respond) => respond({ text: chat`ok` }) });
    return { input, printed: () => printed };
  }

  it('shows a prompt, and keeps what is being typed on it under every progress update', async () => {
    const { input, printed } = await startLive();
    expect(screen(printed()).at(-1)).toBe('alice> ');

    input.write('/sta');
    await new Promise((r) => setImmediate(r));
    await adapter?.upsertCard(progressCard(1));
    await adapter?.upsertCard(progressCard(2));

    const rows = screen(printed());
    // The progress line is rewritten in place, one row above the prompt, and the typed text stays on the prompt.
    expect(rows.slice(-2)).toEqual(['[#1 api v1.5.0 (rolling) → staging] 🚀 Rolling out  ▓▓▓▓▓░░░░░ 2/4  2/4 updated', 'alice> /sta']);
    expect(rows.filter((r) => r.includes('Rolling out'))).toHaveLength(1);
    expect(printed()).not.toMatch(/updated\/sta/);
  });

  it('prints a reply above the progress line, and a deploy\'s next card in place of its progress', async () => {
    const { input, printed } = await startLive();
    await adapter?.upsertCard(progressCard(1));
    input.write('/status api\n');
    await expect.poll(() => screen(printed()).join('\n')).toContain('ok');

    let rows = screen(printed());
    expect(rows).toContain('alice> /status api');
    expect(rows.slice(-3)).toEqual(['ok', '[#1 api v1.5.0 (rolling) → staging] 🚀 Rolling out  ▓▓▓░░░░░░░ 1/4  1/4 updated', 'alice> ']);

    await adapter?.upsertCard({ ...progressCard(4), progress: undefined, status: chat`✅ Succeeded`, final: true });
    rows = screen(printed());
    expect(rows.slice(-2)).toEqual(['[#1 api v1.5.0 (rolling) → staging] ✅ Succeeded', 'alice> ']);
    // Above the line typed, the progress shown then stays as it was (a terminal's scrollback is not rewritten).
    expect(rows.slice(rows.indexOf('alice> /status api')).filter((r) => r.includes('Rolling out'))).toEqual([]);
  });

  it('hands Ctrl-C to onInterrupt (the terminal sends keys, not SIGINT, while the prompt reads them)', async () => {
    let interrupted = 0;
    const { input } = await startLive({ onInterrupt: () => { interrupted++; } });
    input.write('\x03');
    await expect.poll(() => interrupted).toBe(1);
  });
});

describe('fitToWidth', () => {
  it.each([
    ['short', 20, 'short'],
    ['exactly nineteen ch', 20, 'exactly nineteen ch'],
    ['a line that is far too long', 10, 'a line t…'],
    ['🚀 Rolling out', 8, '🚀 Rol…'],
  ])('fits %j into %i columns as %j', (text, columns, fitted) => {
    expect(fitToWidth(text, columns)).toBe(fitted);
  });
});
