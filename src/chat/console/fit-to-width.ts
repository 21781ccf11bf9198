const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const WIDE = /\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F|[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/u;
const ZERO = /^[\p{Cc}\p{Cf}\p{Mn}]+$/u;

/** Columns one grapheme takes on a terminal: emoji and East Asian wide characters two, marks and controls none. */
function widthOf(grapheme: string): number {
  if (ZERO.test(grapheme)) return 0;
  return WIDE.test(grapheme) ? 2 : 1;
}

/**
 * The text cut to fit on one terminal row of `columns` (ending in `…` when cut). A line that wraps could not be
 * rewritten in place: the cursor would go back up one row of two.
 */
export function fitToWidth(text: string, columns: number): string {
  const max = columns - 1;
  const graphemes = [...segmenter.segment(text)].map((s) => s.segment);
  if (graphemes.reduce((w, g) => w + widthOf(g), 0) <= max) return text;
  let width = 0;
  let out = '';
  for (const g of graphemes) {
    width += widthOf(g);
    if (width > max - 1) break;
    out += g;
  }
  return `${out}…`;
}
