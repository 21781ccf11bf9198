import { toChatText, type ChatText } from '../deploy/index.ts';

/**
 * The platform-neutral half of rendering chat text, shared by the Slack, Discord and console renderers: cleaning
 * what somebody else typed, walking Deckhand's markup (bold and code spans), and cutting to a platform's limit
 * without splitting a character. Each renderer supplies only its own escaping (a {@link ChatStyle}).
 */

/**
 * Bidi controls: embeddings and overrides (U+202A–U+202E), isolates (U+2066–U+2069) and marks (U+200E, U+200F,
 * U+061C). In a reason they can make `…tnemevorppa` read as something else, or flip the words around them.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;
/** C0 controls but tab and newline, DEL and C1: a terminal runs escape sequences; chat clients hide or box them. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

export const ELLIPSIS = '…';

/** Removes bidi controls, so text shows in the order it was typed. */
export function neutraliseBidi(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}

/**
 * User text made safe to show anywhere: lone surrogates (a reason cut elsewhere mid-emoji) become U+FFFD, control
 * characters and bidi controls are removed. Tabs and newlines stay.
 */
export function cleanUserText(text: string): string {
  return neutraliseBidi(text.toWellFormed().replace(CONTROL_CHARACTERS, ''));
}

/**
 * Where a chat client may see a web address in user text: `http(s)://` up to a space or a character an address
 * rarely holds unencoded. Inside one a backslash or a look-alike would change the address, so a renderer
 * percent-encodes markers there instead: the same address to the server, nothing left to format.
 */
const URL_RUN = /https?:\/\/[^\s<>[\]|`\\]+/gi;
const ASCII_ALNUM = /^[A-Za-z0-9]$/;

/**
 * `text` with each match of `markers` (a global regex of single characters) made inert: percent-encoded inside a web
 * address, `inert(marker)` elsewhere. A lone `_` between two ASCII letters or digits (`api_eu`, `MY_VAR`) is left as
 * typed: with a letter or digit on both sides it can neither open nor close emphasis in Slack's mrkdwn, Discord's
 * markdown or CommonMark, and names stay as typed, so they can be copied.
 */
export function replaceMarkers(text: string, markers: RegExp, inert: (marker: string) => string): string {
  const urls = [...text.matchAll(URL_RUN)].map((m) => [m.index, m.index + m[0].length] as const);
  let out = '';
  let last = 0;
  for (const m of text.matchAll(markers)) {
    const [marker] = m;
    const at = m.index;
    out += text.slice(last, at);
    if (marker === '_' && ASCII_ALNUM.test(text[at - 1] ?? '') && ASCII_ALNUM.test(text[at + 1] ?? '')) out += marker;
    else if (urls.some(([from, to]) => at >= from && at < to)) out += `%${marker.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
    else out += inert(marker);
    last = at + marker.length;
  }
  return out + text.slice(last);
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/** Past this many UTF-16 units a grapheme (combining-mark towers) may be cut between its code points. */
const LONG_GRAPHEME = 16;

/** UTF-16 offsets where `text` may be cut: grapheme boundaries, and code point boundaries inside huge graphemes. */
function cutPoints(text: string): number[] {
  const out = [0];
  for (const { index, segment } of graphemes.segment(text)) {
    if (segment.length > LONG_GRAPHEME) {
      let at = index;
      for (const cp of segment) {
        at += cp.length;
        out.push(at);
      }
    } else {
      out.push(index + segment.length);
    }
  }
  return out;
}

/**
 * The longest prefix of `text`, ending on a cut point, whose rendering is at most `room` long, found by binary
 * search: `render` should not get shorter as its input grows (escaping adds). Where it does (a `_` percent-encoded
 * at the end of an address goes back to a plain `_` once a letter follows it) the answer still fits, and is
 * never a cut escape — the prefix is rendered afresh — but may be a few characters short of the longest.
 */
function longestPrefix(text: string, render: (s: string) => string, room: number): string {
  if (room <= 0) return '';
  const points = cutPoints(text);
  let lo = 0;
  let hi = points.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (render(text.slice(0, points[mid])).length <= room) lo = mid;
    else hi = mid - 1;
  }
  return text.slice(0, points[lo]);
}

/**
 * `text` cut to at most `max` UTF-16 units (what Slack and Discord count), never inside a character or a
 * grapheme, ending with `…` when something was cut.
 */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max < ELLIPSIS.length) return '';
  return longestPrefix(text, (s) => s, max - ELLIPSIS.length) + ELLIPSIS;
}

/** One platform's escaping of Deckhand's markup and of user text; a renderer is this plus {@link renderChat}. */
export interface ChatStyle {
  /** Deckhand's own words (backticks never reach it); `inCode` when inside a code span. */
  markup(text: string, inCode: boolean): string;
  /** Somebody else's text, already cleaned ({@link cleanUserText}); `inCode` when inside a code span. */
  user(text: string, inCode: boolean): string;
  /** A run of backticks in the markup that opens or closes a code span (`''` drops it, for a terminal). */
  fence(backticks: string): string;
}

interface Run {
  text: string;
  render(text: string): string;
  /** What ends the text if it is cut here: the fence of a code span left open, so user text stays inside it. */
  close: string;
}

/**
 * Splits chat text into runs, each rendered in one state (inside or outside a code span). A code span opens at a
 * run of backticks in the markup and closes at the next run of the same length, as in CommonMark; user text
 * never opens or closes one.
 */
function runsOf(text: ChatText, style: ChatStyle): Run[] {
  const runs: Run[] = [];
  let fence = '';
  for (const segment of text.segments) {
    if ('user' in segment) {
      const inCode = fence !== '';
      runs.push({ text: cleanUserText(segment.user), render: (s) => style.user(s, inCode), close: style.fence(fence) });
      continue;
    }
    for (const part of segment.markup.split(/(`+)/)) {
      if (!part) continue;
      const before = fence;
      if (part.startsWith('`') && (fence === '' || fence === part)) {
        fence = fence === '' ? part : '';
        runs.push({ text: part, render: (s) => (s ? style.fence(s) : ''), close: style.fence(before) });
      } else {
        const inCode = fence !== '';
        runs.push({ text: part, render: (s) => style.markup(s, inCode), close: style.fence(before) });
      }
    }
  }
  return runs;
}

/**
 * Renders chat text for one platform within `max` UTF-16 units. When it does not fit, the run where the limit
 * falls is cut on a grapheme boundary of its own text (never inside an escape), an open code span is closed, and
 * `…` ends it. A plain string is user text.
 */
export function renderChat(input: ChatText | string, style: ChatStyle, max = Number.POSITIVE_INFINITY): string {
  const runs = runsOf(toChatText(input), style);
  const rendered = runs.map((r) => r.render(r.text));
  if (rendered.reduce((n, s) => n + s.length, 0) <= max) return rendered.join('');
  const reserve = ELLIPSIS.length + Math.max(0, ...runs.map((r) => r.close.length));
  const room = max - reserve;
  if (room < 0) return max >= ELLIPSIS.length ? ELLIPSIS : '';
  let out = '';
  for (const [i, run] of runs.entries()) {
    const full = rendered[i]!;
    if (out.length + full.length <= room) {
      out += full;
      continue;
    }
    return out + run.render(longestPrefix(run.text, run.render, room - out.length)) + run.close + ELLIPSIS;
  }
  return out;
}
