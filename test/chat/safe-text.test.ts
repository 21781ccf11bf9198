import { describe, expect, it } from 'vitest';
import { cleanUserText, ELLIPSIS, neutraliseBidi, renderChat, replaceMarkers, truncateText, type ChatStyle } from '../../src/chat/safe-text.ts';
import { chat } from '../../src/deploy/index.ts';

const BIDI = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C'];

/** A style that marks what it was given, to see which state each part was rendered in. */
const MARKED: ChatStyle = {
  markup: (t, inCode) => (inCode ? `{M:${t}}` : `[M:${t}]`),
  user: (t, inCode) => (inCode ? `{U:${t}}` : `[U:${t}]`),
  fence: (b) => b,
};
const PLAIN: ChatStyle = { markup: (t) => t, user: (t) => t, fence: (b) => b };

describe('cleanUserText', () => {
  it.each(BIDI.map((c) => [`U+${c.codePointAt(0)!.toString(16).toUpperCase()}`, c]))('removes the bidi control %s', (_name, c) => {
    expect(cleanUserText(`ok${c}exe.txt`)).toBe('okexe.txt');
    expect(neutraliseBidi(`a${c}b`)).toBe('ab');
  });

  it('removes control characters (terminal escapes included) but keeps tabs and newlines', () => {
    expect(cleanUserText('a\x1b[2Jb\x00c\x07d\x7fe\x9bf\tg\nh\r\n')).toBe('a[2Jbcdef\tg\nh\n');
  });

  it('turns a lone surrogate (an emoji cut in half elsewhere) into U+FFFD', () => {
    const half = '😀'.slice(0, 1);
    expect(cleanUserText(`a${half}b`)).toBe('a\uFFFDb');
    expect(cleanUserText(`a${half}b`).isWellFormed()).toBe(true);
  });
});

describe('truncateText', () => {
  it('leaves text that fits alone', () => {
    expect(truncateText('short', 5)).toBe('short');
  });

  it('cuts and ends with …', () => {
    expect(truncateText('abcdefgh', 5)).toBe(`abcd${ELLIPSIS}`);
  });

  it.each([
    ['emoji (surrogate pairs)', '😀'.repeat(50)],
    ['a family (ZWJ sequence)', '👨‍👩‍👧‍👦'.repeat(20)],
    ['flags (regional indicator pairs)', '🇫🇷🇩🇪'.repeat(20)],
    ['accents (combining marks)', 'e\u0301'.repeat(60)],
    ['a tower of combining marks', `a${'\u0301'.repeat(200)}b`],
  ])('never splits a character: %s, cut at every length', (_name, text) => {
    for (let max = 0; max <= text.length + 1; max++) {
      const out = truncateText(text, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out.isWellFormed()).toBe(true);
      if (out.length < text.length && max > 0) expect(out.endsWith(ELLIPSIS)).toBe(true);
    }
  });

  it('keeps graphemes whole where they are of normal size', () => {
    const family = '👨‍👩‍👧‍👦';
    const out = truncateText(`${family}${family}`, family.length + 3);
    expect(out).toBe(`${family}${ELLIPSIS}`);
  });
});

describe('renderChat', () => {
  it('renders markup and user text apart, and knows which parts are inside a code span', () => {
    expect(renderChat(chat`a ${'x'} \`cmd ${'y'}\` b`, MARKED)).toBe('[M:a ][U:x][M: ]`{M:cmd }{U:y}`[M: b]');
  });

  it('takes a plain string as user text', () => {
    expect(renderChat('<!here>', MARKED)).toBe('[U:<!here>]');
  });

  it('cleans user text before the style sees it', () => {
    expect(renderChat(chat`${'a\u202Eb\x1b'}`, PLAIN)).toBe('ab');
  });

  it('closes a code span only with a fence of the same length', () => {
    expect(renderChat(chat`\`\`\`a \` b\`\`\` c`, MARKED)).toBe('```{M:a }{M:`}{M: b}```[M: c]');
  });

  it('cuts within the limit, on the user text\'s own boundaries, and closes a code span it cut into', () => {
    const text = chat`Run \`/unlock ${'😀'.repeat(30)}\` now`;
    for (let max = 1; max < 80; max++) {
      const out = renderChat(text, PLAIN, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out.isWellFormed()).toBe(true);
      // Every backtick that opens is closed: user text never ends up outside the code span it was written into.
      expect((out.match(/`/g) ?? []).length % 2).toBe(0);
    }
  });

  it('never cuts inside an escape: the style escapes whole characters of the user text', () => {
    const amp: ChatStyle = { markup: (t) => t, user: (t) => t.replace(/&/g, '&amp;'), fence: (b) => b };
    for (let max = 1; max < 40; max++) {
      const out = renderChat(chat`x ${'&'.repeat(20)}`, amp, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out.replace(/&amp;/g, '')).not.toContain('&');
    }
  });
});

describe('replaceMarkers', () => {
  const bracket = (t: string): string => replaceMarkers(t, /[*_~]/g, (c) => `[${c}]`);

  it('hands every marker outside an address to the platform\'s replacement', () => {
    expect(bracket('*a* ~b~ _c_')).toBe('[*]a[*] [~]b[~] [_]c[_]');
  });

  it('leaves a lone `_` between ASCII letters or digits, and no other', () => {
    expect(bracket('api_eu MY_VAR v1_2 a__b é_é _x x_ a_ b')).toBe('api_eu MY_VAR v1_2 a[_][_]b é[_]é [_]x x[_] a[_] b');
  });

  it('percent-encodes markers inside a web address, which ends at a space or a character an address would encode', () => {
    expect(bracket('https://a.example/_x_/*~ *')).toBe('https://a.example/%5Fx%5F/%2A%7E [*]');
    expect(bracket('HTTP://a.example/a_b*|*')).toBe('HTTP://a.example/a_b%2A|[*]');
    expect(bracket('xhttps://a/*')).toBe('xhttps://a/%2A');
  });
});

