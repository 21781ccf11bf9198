/** Time-zone offsets from the IANA database through Intl, standing in for Go's time.LoadLocation. */
import { knownAbbreviation } from './time-zone-names.ts';

export interface Zone { readonly name: string }

export const UTC: Zone = { name: 'UTC' };

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric', era: 'short', timeZoneName: 'short',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** The zone named as Go's LoadLocation would accept it, or an error message. */
export function loadZone(name: string): Zone | string {
  if (name === '' || name === 'UTC') return UTC;
  if (name === 'Local') return { name: Intl.DateTimeFormat().resolvedOptions().timeZone };
  try {
    formatter(name);
    return { name };
  } catch {
    return `unknown time zone ${name}`;
  }
}

const MS_LIMIT = 8.64e15;

/** Offset east of UTC in seconds at the instant `unixSeconds`, and the zone's short name there. */
export function offsetAt(zone: Zone, unixSeconds: number): { offset: number; abbrev: string } {
  if (zone === UTC || zone.name === 'UTC') return { offset: 0, abbrev: 'UTC' };
  const ms = Math.max(-MS_LIMIT, Math.min(MS_LIMIT, unixSeconds * 1000));
  const parts = formatter(zone.name).formatToParts(new Date(Math.floor(ms / 1000) * 1000));
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '0';
  let year = Number(get('year'));
  if (get('era') === 'BC' || get('era') === 'B') year = 1 - year;
  const local = Date.UTC(year, Number(get('month')) - 1, Number(get('day')), Number(get('hour')), Number(get('minute')), Number(get('second')));
  const fixedYear = new Date(local);
  fixedYear.setUTCFullYear(year);
  const offset = Math.round((fixedYear.getTime() - Math.floor(ms / 1000) * 1000) / 1000);
  const known = knownAbbreviation(zone.name, () => isDST(zone, year, offset));
  return { offset, abbrev: known ?? abbreviation(get('timeZoneName'), offset) };
}

/** Daylight time is any offset above the smaller of the January and July offsets of that year. */
function isDST(zone: Zone, year: number, offset: number): boolean {
  const at = (month: number): number => {
    const d = new Date(Date.UTC(2000, month, 1));
    d.setUTCFullYear(year);
    const parts = formatter(zone.name).formatToParts(d);
    const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? '';
    const m = /GMT([+-])(\d+)(?::(\d+))?/.exec(name);
    return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60) : offset;
  };
  return offset > Math.min(at(0), at(6));
}

/** Go prints a numeric abbreviation like "+0530" when the zone has no letters; Intl says "GMT+5:30". */
function abbreviation(intl: string, offset: number): string {
  if (/^[A-Z]{3,5}$/.test(intl)) return intl;
  const sign = offset < 0 ? '-' : '+';
  const a = Math.abs(offset);
  const hh = String(Math.floor(a / 3600)).padStart(2, '0');
  const mm = Math.floor((a % 3600) / 60);
  return sign + hh + (mm ? String(mm).padStart(2, '0') : '');
}

/** The UTC instant (seconds) of a wall-clock time in a zone, resolving the offset as Go's time.Date does. */
export function wallToUnix(zone: Zone, wallSeconds: number): number {
  if (zone === UTC || zone.name === 'UTC') return wallSeconds;
  let guess = wallSeconds - offsetAt(zone, wallSeconds).offset;
  guess = wallSeconds - offsetAt(zone, guess).offset;
  return guess;
}
