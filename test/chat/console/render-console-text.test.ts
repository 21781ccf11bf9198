import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConsoleAdapter, renderCardText, renderConsoleText } from '../../../src/chat/console/index.ts';
import { cleanUserText } from '../../../src/chat/safe-text.ts';
import { chat, userText } from '../../../src/deploy/index.ts';

describe('renderConsoleText', () => {
  it('drops the asterisks and backticks of Deckhand\'s markup, which a terminal cannot show as bold or code', () => {
    expect(renderConsoleText(chat`🔒 *${'api'}* is locked. \`/unlock ${'api'}\` when it is safe.`)).toBe('🔒 api is locked. /unlock api when it is safe.');
  });

  it('keeps asterisks inside code, where they are literal', () => {
    expect(renderConsoleText(chat`Try \`deploy * now\``)).toBe('Try deploy * now');
  });

  it('prints user text as typed, Slack and Discord syntax included', () => {
    const typed = '*not bold* `x` <!channel> <@U1> [a](https://evil) @everyone';
    expect(renderConsoleText(chat`Reason: ${typed}`)).toBe(`Reason: ${typed}`);
    expect(renderConsoleText(typed)).toBe(typed);
  });

  it('prints any user text as typed but for control and bidi characters, in code or not (property)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (typed) => {
      expect(renderConsoleText(chat`*Reason:* ${typed} \`/unlock ${typed}\``)).toBe(`Reason: ${cleanUserText(typed)} /unlock ${cleanUserText(typed)}`);
      // eslint-disable-next-line no-control-regex -- the point of the check
      expect(renderConsoleText(typed)).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/);
    }));
  });

  it('removes terminal escape sequences\' introducers, other control characters and bidi controls', () => {
    const out = renderConsoleText(chat`Reason: ${'ok\x1b[2J\x1b]0;pwned\x07\r\x9b31m\u202Etxt.exe\u2066'}`);
    expect(out).toBe('Reason: ok[2J]0;pwned31mtxt.exe');
    // eslint-disable-next-line no-control-regex -- the point of the check
    expect(out).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/);
  });
});

describe('the console card and replies', () => {
  const card = {
    deployId: '3', channel: 'console', title: chat`#3 ${'api'} ${'v1.5.0'} (rolling) → ${'staging'}`, status: chat`⏳ Awaiting approval`,
    fields: [], lines: [chat`Approve with \`/approve 3\`.`, userText('\x1b[31mred\x1b[0m \u202Eevil')], actions: [], final: false,
  };

  it('renders a card without markup characters or escape sequences', () => {
    expect(renderCardText(card)).toBe('[#3 api v1.5.0 (rolling) → staging] ⏳ Awaiting approval\n    Approve with /approve 3.\n    [31mred[0m evil');
  });

  it('prints replies and cards through the renderer', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (c: Buffer) => { printed += c.toString('utf8'); });
    let lineDone: () => void = () => {};
    const answered = new Promise<void>((resolve) => { lineDone = resolve; });
    const adapter = new ConsoleAdapter({ input, output, defaultUser: 'alice', live: false, onLineDone: () => lineDone() });
    await adapter.start({
      cardRefs: undefined as never,
      onEvent: async (_e, respond) => respond({ text: chat`🔒 *api* locked (“${'\x1b[2J<!here>'}”). \`/unlock api\`` }),
    });
    input.end('/lock api\n');
    await answered;
    await adapter.upsertCard(card);
    expect(printed).toContain('🔒 api locked (“[2J<!here>”). /unlock api\n');
    expect(printed).toContain('    Approve with /approve 3.');
    expect(printed).not.toContain('\x1b[2J');
    expect(printed).not.toContain('\x1b[31m');
  });
});
