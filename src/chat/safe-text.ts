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
 * The longest prefix of `text`, ending on a cut point, whose rendering is at most `room` long. `render` must not
 * get shorter as its input grows (escaping only adds), which makes a binary search valid.
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
