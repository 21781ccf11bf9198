import { parseDuration } from '../../src/config/duration.ts';
import type { FreezeUntil } from '../schema.ts';
import { invalidArgument, missingArgument, ok } from './problem.ts';
import { shown } from './format-words.ts';
import type { Read } from './problem.ts';
import type { Where } from './where.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(Z|[+-]\d{2}:?\d{2})?$/i;

/** Date.parse rolls 2026-02-30 over into March; a person who typed it made a mistake. */
function isRealDate(iso: string): boolean {
  const [y, mo, d, h = 0, mi = 0, s = 0] = (iso.match(/\d+/g) ?? []).slice(0, 6).map(Number);
  if (y === undefined || mo === undefined || d === undefined) return false;
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth && h < 24 && mi < 60 && s < 60;
}

/**
 * Reads when a freeze ends, after `until` (a moment) or `for` (a duration). Moments are ISO 8601 dates or
 * date-times; without a zone they are UTC, since a chat channel has no single time zone.
 */
export function readUntil(where: Where, keyword: 'until' | 'for'): Read<FreezeUntil> {
  const token = where.args[where.index];
  const example = keyword === 'until' ? '`until 2026-12-01T09:00Z` or `until 2026-12-01`' : '`for 2h` or `for 1d`';
  if (token === undefined) return missingArgument(`\`${keyword}\` needs a time, like ${example}.`, { usage: where.usage });
  if (keyword === 'for' || parseDuration(token.text) !== undefined) {
    const ms = parseDuration(token.text);
    if (ms !== undefined) return ok({ kind: 'for', ms });
    return invalidArgument(`\`${shown(token.text)}\` is not a duration. Try ${example}.`, { usage: where.usage });
  }
  const text = token.text.trim();
  let iso: string | undefined;
  if (DATE.test(text)) iso = `${text}T00:00:00Z`;
  const m = DATE_TIME.exec(text);
  if (m) iso = `${m[1]}T${m[2]}${m[3]?.toUpperCase() ?? 'Z'}`;
  const time = iso === undefined || !isRealDate(iso) ? NaN : Date.parse(iso);
  if (Number.isNaN(time)) {
    return invalidArgument(`\`${shown(token.text)}\` is not a date or time I can read. Try ${example} (UTC unless you add an offset).`, { usage: where.usage });
  }
  return ok({ kind: 'at', at: new Date(time).toISOString() });
}
