import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanUserText } from '../../../src/chat/safe-text.ts';
import { decodeSlackText, renderSlackText, SLACK_TEXT_MAX } from '../../../src/chat/slack/index.ts';
import { renderSlackLink } from '../../../src/chat/slack/render-slack-text.ts';
import { chat, quotedText } from '../../../src/deploy/index.ts';

/** What people type to make a bot ping a channel or disguise a link, in Slack's own syntax. */
const ATTACKS = [
  '<!channel>', '<!here>', '<!everyone>', '<!subteam^S0123ABC|@oncall>', '<@U0ALICE>', '<#C0DEPLOY|deploys>',
  '<https://evil.example|https://slack.com/approve>', '<mailto:a@evil.example|support>', '<!date^1392734382^{date}|x>',
];

describe('renderSlackText', () => {
  it.each(ATTACKS)('shows %s as typed, never as a mention or a link', (attack) => {
    const out = renderSlackText(chat`🔒 api is locked (“${attack}”).`);
    // Slack only forms mentions and links from a raw `<…>`: none may be left.
    expect(out).not.toMatch(/[<>]/);
    expect(decodeSlackText(out)).toBe(`🔒 api is locked (“${attack}”).`);
  });

  it('escapes an already-escaped entity again, so a typed `&lt;!here&gt;` stays text', () => {
    expect(renderSlackText(chat`${'&lt;!here&gt;'}`)).toBe('&amp;lt;!here&amp;gt;');
  });

  it('takes a plain string as user text', () => {
    expect(renderSlackText('<!channel>')).toBe('&lt;!channel&gt;');
  });

  it('keeps Deckhand\'s markup: bold and code', () => {
    expect(renderSlackText(chat`*api* is locked. \`/unlock ${'api'}\` when it is safe.`)).toBe('*api* is locked. `/unlock api` when it is safe.');
  });

  it('writes Discord-style bold as Slack bold', () => {
    expect(renderSlackText(chat`**Release notes**`)).toBe('*Release notes*');
  });

  it('keeps a backtick typed inside a code span from ending it', () => {
    expect(renderSlackText(chat`\`/unlock ${'api` <!here> `'}\``)).toBe('`/unlock apiˋ &lt;!here&gt; ˋ`');
  });

  it('removes bidi controls and control characters from user text', () => {
    expect(renderSlackText(chat`reason: ${'\u202Egnp.exe\u2066\u200F\x07'}`)).toBe('reason: gnp.exe');
  });

  it('cuts a 4,000-character reason with an emoji at the cut into valid UTF-16 within the limit', () => {
    const reason = `${'a'.repeat(2997)}${'😀'.repeat(501)}`;
    expect(reason.length).toBe(3999);
    for (const max of [3000, 3001, 3002, SLACK_TEXT_MAX]) {
      const out = renderSlackText(chat`Reason: ${reason}`, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out.isWellFormed()).toBe(true);
      expect(out.endsWith('…')).toBe(true);
    }
  });

  it('counts escapes against the limit and never cuts one in half', () => {
    const out = renderSlackText(chat`${'<'.repeat(4000)}`, 3000);
    expect(out.length).toBeLessThanOrEqual(3000);
    expect(out).toMatch(/^(&lt;)+…$/);
  });

  it('closes a code span it had to cut into', () => {
    const out = renderSlackText(chat`Use \`/unlock ${'x'.repeat(100)}\``, 40);
    expect(out).toMatch(/^Use `\/unlock x+`…$/);
    expect(out.length).toBeLessThanOrEqual(40);
  });
});

/** What a person reads in rendered user text: entities decoded, look-alikes and percent-encoded markers as typed. */
function shown(out: string): string {
  const typed: Record<string, string> = { '∗': '*', 'ˍ': '_', '∼': '~', 'ˋ': '`', '˃': '>', '%2A': '*', '%5F': '_', '%7E': '~' };
  return decodeSlackText(out).replace(/[∗ˍ∼ˋ˃]|%2A|%5F|%7E/g, (c) => typed[c]!);
}

/**
 * Checks the rendered user text `out` (no Deckhand markup in it) could not take on mrkdwn formatting: no marker is
 * left but a `_` inside a word, no line can quote, and `<`, `>` and `&` only appear escaped.
 */
function expectInert(out: string): void {
  expect(out).not.toMatch(/[*~`<>]/);
  expect(out.replace(/(?<=[A-Za-z0-9])_(?=[A-Za-z0-9])/g, '')).not.toContain('_');
  expect(out).not.toMatch(/^[ \t]*&gt;/m);
  expect(out.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
}

/** Reasons that try to pass for Deckhand's own formatting, in mrkdwn. */
const FORMATTING = [
  '*URGENT* _approve_ ~now~', '*Approved* by bob', '`/approve 3`', '```\ndeploy ok\n```', '_*~all three~*_',
  'bold*mid*word', '2*3*4', '__init__', 'trailing_', '_leading',
];

describe('renderSlackText keeps user text from taking on formatting', () => {
  it.each(FORMATTING)('shows %j as typed, with no marker left for mrkdwn', (typed) => {
    const out = renderSlackText(chat`Reason: ${typed}`);
    expectInert(out.slice('Reason: '.length));
    expect(shown(out)).toBe(`Reason: ${typed}`);
  });

  it('writes markers as look-alikes, so the text reads the same', () => {
    expect(renderSlackText(chat`Reason: ${'*URGENT* _approve_ ~now~ `x`'}`)).toBe('Reason: ∗URGENT∗ ˍapproveˍ ∼now∼ ˋxˋ');
  });

  it('keeps Deckhand\'s bold around user text that has asterisks of its own', () => {
    expect(renderSlackText(chat`*${'*api*'}* is locked by ${'_bob_'}`)).toBe('*∗api∗* is locked by ˍbobˍ');
  });

  it('leaves a `_` inside a word as typed, so names can be read and copied', () => {
    expect(renderSlackText(chat`*${'api_eu'}* ${'MY_VAR_NAME'} ${'v1_2'}`)).toBe('*api_eu* MY_VAR_NAME v1_2');
  });

  it('percent-encodes markers inside a web address, so the address still leads to the same place', () => {
    expect(renderSlackText(chat`See ${'https://grafana.example/d/a_b?var-x=*&y=~_z_ now'}`))
      .toBe('See https://grafana.example/d/a_b?var-x=%2A&amp;y=%7E%5Fz%5F now');
    expect(renderSlackText(chat`${'https://*Approved*'}`)).toBe('https://%2AApproved%2A');
  });

  it('keeps a `>` at the start of a line from quoting it, and leaves one inside a line escaped', () => {
    expect(renderSlackText(chat`Reason:\n${'> quoted\n  >>> all the rest\n5 > 3'}`)).toBe('Reason:\n˃ quoted\n  ˃&gt;&gt; all the rest\n5 &gt; 3');
    // User text may be the start of a line Deckhand wrote (a card's lines are joined with newlines).
    expect(renderSlackText(chat`${'> quoted'}`)).toBe('˃ quoted');
  });

  it('keeps user text inside a code span on its one line, since inline code ends at a line break', () => {
    expect(renderSlackText(chat`Run \`/unlock ${'api\n*Approved*'}\``)).toBe('Run `/unlock api *Approved*`');
  });

  it('gives a link\'s label no formatting either', () => {
    expect(renderSlackLink('*Approved* _by_ ~ops~', 'https://ci.example/run/1')).toBe('<https://ci.example/run/1|∗Approved∗ ˍbyˍ ∼ops∼>');
  });

  const pieces = fc.constantFrom(
    '*', '_', '~', '`', '```', '>', '>>>', '<', '&', '&gt;', '|', ' ', '  ', '\n', '\t', 'a', 'Z', '9', 'é', 'api_eu',
    'https://', 'http://x.example/', '@here', ':x:', '#', '-', '😀', '👨‍👩‍👧', 'e\u0301', '\u202E',
  );
  const typedText = fc.array(pieces, { maxLength: 40 }).map((p) => p.join(''));

  it('renders any user text inert and readable as typed (property)', () => {
    fc.assert(fc.property(typedText, (typed) => {
      const out = renderSlackText(chat`*Reason:* ${typed}`);
      expectInert(out.slice('*Reason:* '.length));
      expect(shown(out)).toBe(`*Reason:* ${cleanUserText(typed)}`);
    }));
  });

  it('cuts any user text within the limit without leaving a marker or a half escape (property)', () => {
    fc.assert(fc.property(typedText, fc.nat({ max: 120 }), (typed, max) => {
      const out = renderSlackText(chat`*Reason:* ${typed}`, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out.isWellFormed()).toBe(true);
      if (out.startsWith('*Reason:* ')) expectInert(out.slice('*Reason:* '.length).replace(/…$/, ''));
    }));
  });
});

describe('the parser\'s answers (quotedText) on Slack', () => {
  it('keeps its code spans as code', () => {
    expect(renderSlackText(quotedText('Unknown service `apx`. Did you mean `api`?'))).toBe('Unknown service `apx`. Did you mean `api`?');
  });

  it('escapes what a span quotes as code, and the words round the spans as any user text', () => {
    expect(renderSlackText(quotedText('No service `<!here> *x*`. *Sorry* <@U0ALICE>'))).toBe('No service `&lt;!here&gt; *x*`. ∗Sorry∗ &lt;@U0ALICE&gt;');
  });

  it('keeps a line break inside a span from ending it, and an unpaired backtick a character', () => {
    expect(renderSlackText(quotedText('a `b\nc` d `e'))).toBe('a `b c` d ˋe');
  });

  it('whatever it is given, leaves no raw < or > and never an odd number of backticks', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('`', '<', '>', '*', '\n', 'a', ' ', '&', '!') }), (text) => {
      const out = renderSlackText(quotedText(text));
      expect(out).not.toMatch(/[<>]/);
      expect((out.match(/`/g) ?? []).length % 2).toBe(0);
    }));
  });
});
