import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderDiscordText } from '../../../src/chat/discord/render-discord-text.ts';
import { cleanUserText } from '../../../src/chat/safe-text.ts';
import { chat, quotedText } from '../../../src/deploy/index.ts';

/**
 * Reads `out` as Discord's markdown does for escapes: a backslash makes the next character literal (Discord shows
 * `\x` as `x` for any punctuation). `live` has the characters markdown could still act on (NUL for escaped ones); `shown` is what
 * a person sees.
 */
function read(out: string): { live: string; shown: string } {
  let live = '';
  let shown = '';
  for (let i = 0; i < out.length; i++) {
    if (out[i] === '\\' && i + 1 < out.length) {
      i++;
      live += '\u0000';
      shown += out[i];
    } else {
      live += out[i];
      shown += out[i];
    }
  }
  return { live, shown };
}
const live = (out: string): string => read(out).live;
const shown = (out: string): string => read(out).shown.replace(/\u200B/g, '');

/** What people type to make a bot ping, link or mislead, in Discord's own markdown. */
const ATTACKS = [
  '@everyone', '@here', '<@100000000000000002>', '<@!100000000000000002>', '<@&200000000000000001>', '<#900000000000000010>',
  '</deploy:123>', '<t:1700000000:R>', '<:deckhand:123>', '<https://evil.example>',
  '[https://discord.com/approve](https://evil.example)', '[click](<https://evil.example>)',
  '**bold** *it* __under__ ~~strike~~ ||spoiler|| `code` ```block```',
];

const LINE_STARTS = ['# Approved by bob', '## big', '### big', '-# small print', '> quoted', '>>> quoted', '- item', '* item', '1. item', '  - nested'];

describe('renderDiscordText', () => {
  it.each(ATTACKS)('makes %s inert', (attack) => {
    const out = renderDiscordText(chat`🔒 api is locked (“${attack}”).`);
    expect(live(out)).not.toMatch(/[<[\]*_~|`]/);
    expect(live(out)).not.toMatch(/@(everyone|here)/);
    // Still readable: what is shown (the zero-width space aside) is what was typed.
    expect(shown(out)).toBe(`🔒 api is locked (“${attack}”).`);
  });

  it.each(LINE_STARTS)('shows a line starting %j as text, not as a heading, quote or list', (line) => {
    for (const text of [chat`${line}`, chat`Reason:\n${`ok\n${line}`}`]) {
      const lines = renderDiscordText(text).split('\n');
      const last = lines.at(-1)!;
      // Markdown would need the marker unescaped at the start of the line.
      expect(live(last)).not.toMatch(/^\s*(#{1,3} |-# |>|[-*+] |\d+\. )/);
      expect(shown(last)).toBe(line);
    }
  });

  it('takes a plain string as user text', () => {
    expect(shown(renderDiscordText('<@1> *x*'))).toBe('<@1> *x*');
    expect(renderDiscordText('<@1>')).toBe('\\<@1>');
  });

  it('writes Deckhand\'s bold as Discord bold and keeps code spans', () => {
    expect(renderDiscordText(chat`*${'api'}* is locked. \`/unlock ${'api_eu'}\` when it is safe.`)).toBe('**api** is locked. `/unlock api_eu` when it is safe.');
  });

  it('leaves Deckhand\'s markup alone inside code', () => {
    expect(renderDiscordText(chat`\`deploy * now\``)).toBe('`deploy * now`');
  });

  it('keeps a backtick typed inside a code span from ending it (backslashes would show there)', () => {
    expect(renderDiscordText(chat`\`/unlock ${'api` @everyone `'}\``)).toBe('`/unlock apiˋ @everyone ˋ`');
  });

  it('escapes a backslash, so user text cannot un-escape what follows', () => {
    const out = renderDiscordText(chat`${'\\'}*bold*`);
    expect(out).toBe('\\\\**bold**');
  });

  it('removes bidi controls and control characters from user text', () => {
    expect(renderDiscordText(chat`reason: ${'\u202Egnp.exe\u2067\u200E\x1b'}`)).toBe('reason: gnp.exe');
  });

  it('cuts a 4,000-character reason with an emoji at the cut into valid UTF-16 within 2,000 characters', () => {
    const reason = `${'a'.repeat(1990)}${'😀'.repeat(1005)}`;
    for (const max of [2000, 1999, 1998, 1997]) {
      const out = renderDiscordText(chat`Reason: ${reason}`, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out.isWellFormed()).toBe(true);
      expect(out.endsWith('…')).toBe(true);
    }
  });

  it('never cuts an escape in half', () => {
    const out = renderDiscordText(chat`${'<@1>'.repeat(1000)}`, 2000);
    expect(out.length).toBeLessThanOrEqual(2000);
    expect(out).toMatch(/^(\\<@1>)+(\\<@?1?)?…$/);
    expect(live(out)).not.toContain('<');
  });
});

/** What a person reads: escapes and zero-width spaces gone, markers percent-encoded inside an address as typed. */
const typedBack = (out: string): string => shown(out).replace(/%2A|%5F|%7E|%40/g, (c) => decodeURIComponent(c));

/** The rendered user text `out` (no Deckhand markup in it) leaves Discord's markdown nothing to act on. */
function expectInert(out: string): void {
  const l = live(out);
  expect(l).not.toMatch(/[\\*~|`<[\]]/);
  expect(l.replace(/(?<=[A-Za-z0-9])_(?=[A-Za-z0-9])/g, '')).not.toContain('_');
  expect(l).not.toMatch(/@(everyone|here)/i);
  expect(l).not.toMatch(/^[ \t]*([#>+-]|\d+[.)])/m);
}

describe('renderDiscordText leaves user text nothing to format', () => {
  it.each([
    // discord.js's escapeMarkdown leaves `_` live after a `<:` anywhere earlier on the line (its custom-emoji rule).
    ['<:a _Approved_', '\\<:a \\_Approved\\_'],
    // …and the fourth backtick of a run, which would pair with the fence of Deckhand's next code span.
    ['````x', '\\`\\`\\`\\`x'],
    ['+ item', '\\+ item'],
    ['1) item', '1\\) item'],
    ['a_b_ c', 'a_b\\_ c'],
  ])('escapes %j as %j', (typed, escaped) => {
    expect(renderDiscordText(chat`${typed}`)).toBe(escaped);
  });

  it('keeps Deckhand\'s code span whole after a run of backticks in user text', () => {
    const out = renderDiscordText(chat`Reason: ${'````'} — \`/unlock api\``);
    expect(live(out)).toBe('Reason: \u0000\u0000\u0000\u0000 — `/unlock api`');
  });

  it('leaves a `_` inside a word as typed, so names can be read and copied', () => {
    expect(renderDiscordText(chat`*${'api_eu'}* ${'MY_VAR_NAME'}`)).toBe('**api_eu** MY_VAR_NAME');
  });

  it('percent-encodes markers inside a web address, where a backslash would change the address', () => {
    expect(renderDiscordText(chat`See ${'https://grafana.example/d/a_b?var-x=*&y=~_z_ now'}`)).toBe('See https://grafana.example/d/a_b?var-x=%2A&y=%7E%5Fz%5F now');
    expect(renderDiscordText(chat`${'https://**Approved**'} ${'https://x.example/@everyone'}`)).toBe('https://%2A%2AApproved%2A%2A https://x.example/%40everyone');
  });

  const pieces = fc.constantFrom(
    '*', '**', '_', '__', '~~', '||', '`', '```', '\\', '<', '>', '[', ']', '(', ')', '#', '-#', '-', '+', '1.', '2)',
    ' ', '  ', '\n', '\t', 'a', 'Z', '9', 'é', 'api_eu', 'https://', 'http://x.example/', '<:', '<@1>', '@everyone',
    '@HERE', ':x:', '😀', 'e\u0301', '\u202E',
  );
  const typedText = fc.array(pieces, { maxLength: 40 }).map((p) => p.join(''));

  it('renders any user text inert and readable as typed (property)', () => {
    fc.assert(fc.property(typedText, (typed) => {
      const out = renderDiscordText(chat`**Reason:** ${typed}`);
      expectInert(out.slice('**Reason:** '.length));
      expect(typedBack(out)).toBe(`**Reason:** ${cleanUserText(typed)}`);
    }));
  });

  it('cuts any user text within the limit without leaving a marker or a half escape (property)', () => {
    fc.assert(fc.property(typedText, fc.nat({ max: 120 }), (typed, max) => {
      const out = renderDiscordText(chat`**Reason:** ${typed}`, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out.isWellFormed()).toBe(true);
      if (out.startsWith('**Reason:** ')) expectInert(out.slice('**Reason:** '.length).replace(/…$/, ''));
    }));
  });
});

describe('the parser\'s answers (quotedText) on Discord', () => {
  it('keeps its code spans as code and escapes the words round them', () => {
    expect(renderDiscordText(quotedText('Unknown service `apx`. Did you mean `api`?'))).toBe('Unknown service `apx`. Did you mean `api`?');
    const out = renderDiscordText(quotedText('No service `@everyone **x**`. **Sorry** @here'));
    expect(out.startsWith('No service `@everyone **x**`. ')).toBe(true);
    expect(out).not.toContain('**Sorry**');
    expect(out).not.toContain(' @here');
  });
});
