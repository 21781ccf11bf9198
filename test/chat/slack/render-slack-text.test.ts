import { describe, expect, it } from 'vitest';
import { decodeSlackText, renderSlackText, SLACK_TEXT_MAX } from '../../../src/chat/slack/index.ts';
import { chat } from '../../../src/deploy/index.ts';

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
