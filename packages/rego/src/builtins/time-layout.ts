/**
 * Go's reference-time layouts ("2006-01-02T15:04:05Z07:00"): splitting a layout into chunks, formatting
 * broken-down times, and parsing (time.Parse) into an instant with Go's error texts.
 */
import { MONTHS, WEEKDAYS, civilFromDays, daysFromCivil, daysIn, weekdayOf } from './civil.ts';

export type Chunk =
  | { readonly kind: 'lit'; readonly text: string }
  | { readonly kind: 'std'; readonly std: string; readonly digits?: number };

/** Go's nextStdChunk, in the same order of precedence. */
export function chunks(layout: string): Chunk[] {
  const out: Chunk[] = [];
  let lit = '';
  const push = (c: Chunk): void => {
    if (lit) { out.push({ kind: 'lit', text: lit }); lit = ''; }
    out.push(c);
  };
  let i = 0;
  const at = (s: string): boolean => layout.startsWith(s, i);
  const std = (s: string, len = s.length): void => { push({ kind: 'std', std: s }); i += len; };
  while (i < layout.length) {
    const c = layout[i]!;
    if (c === 'J' && at('January')) std('January');
    else if (c === 'J' && at('Jan')) std('Jan');
    else if (c === 'M' && at('Monday')) std('Monday');
    else if (c === 'M' && at('Mon')) std('Mon');
    else if (c === 'M' && at('MST')) std('MST');
    else if (c === '0' && at('002')) std('002');
    else if (c === '0' && /^0[1-6]/.test(layout.slice(i))) std(layout.slice(i, i + 2));
    else if (c === '1' && at('15')) std('15');
    else if (c === '1') std('1');
    else if (c === '2' && at('2006')) std('2006');
    else if (c === '2') std('2');
    else if (c === '_' && at('_2') && !at('_2006')) std('_2');
    else if (c === '_' && at('__2')) std('__2');
    else if (c === '3' || c === '4' || c === '5') std(c);
    else if (c === 'P' && at('PM')) std('PM');
    else if (c === 'p' && at('pm')) std('pm');
    else if (c === '-' && (at('-070000') || at('-07:00:00') || at('-0700') || at('-07:00') || at('-07'))) {
      std(['-070000', '-07:00:00', '-0700', '-07:00', '-07'].find(at)!);
    } else if (c === 'Z' && (at('Z070000') || at('Z07:00:00') || at('Z0700') || at('Z07:00') || at('Z07'))) {
      std(['Z070000', 'Z07:00:00', 'Z0700', 'Z07:00', 'Z07'].find(at)!);
    } else if ((c === '.' || c === ',') && /^[.,](0+|9+)(?!\d)/.test(layout.slice(i))) {
      const m = /^[.,](0+|9+)/.exec(layout.slice(i))!;
      push({ kind: 'std', std: c + m[1]![0]!, digits: m[1]!.length });
      i += m[0].length;
    } else { lit += c; i++; }
  }
  if (lit) out.push({ kind: 'lit', text: lit });
  return out;
}

export interface Broken {
  year: number; month: number; day: number; yday: number; weekday: number;
  hour: number; minute: number; second: number; nsec: number; offset: number; abbrev: string;
}

export function breakDown(localSeconds: bigint, nsec: number, offset: number, abbrev: string): Broken {
  const days = Number(localSeconds >= 0n ? localSeconds / 86400n : -((-localSeconds + 86399n) / 86400n));
  const sod = Number(localSeconds - BigInt(days) * 86400n);
  const { year, month, day } = civilFromDays(days);
  return {
    year, month, day, yday: days - daysFromCivil(year, 1, 1) + 1, weekday: weekdayOf(days),
    hour: Math.floor(sod / 3600), minute: Math.floor((sod % 3600) / 60), second: sod % 60, nsec, offset, abbrev,
  };
}

const pad = (n: number, w: number, ch = '0'): string => String(n).padStart(w, ch);

function formatOffset(std: string, offset: number): string {
  if (std.startsWith('Z') && offset === 0) return 'Z';
  const sign = offset < 0 ? '-' : '+';
  const a = Math.abs(offset);
  const hh = pad(Math.floor(a / 3600), 2), mm = pad(Math.floor((a % 3600) / 60), 2), ss = pad(a % 60, 2);
  switch (std.slice(1)) {
    case '07': return sign + hh;
    case '0700': return sign + hh + mm;
    case '07:00': return `${sign}${hh}:${mm}`;
    case '070000': return sign + hh + mm + ss;
    default: return `${sign}${hh}:${mm}:${ss}`;
  }
}

export function format(t: Broken, layout: string): string {
  let out = '';
  for (const c of chunks(layout)) {
    if (c.kind === 'lit') { out += c.text; continue; }
    switch (c.std) {
      case 'January': out += MONTHS[t.month - 1]; break;
      case 'Jan': out += MONTHS[t.month - 1]!.slice(0, 3); break;
      case '1': out += t.month; break;
      case '01': out += pad(t.month, 2); break;
      case 'Monday': out += WEEKDAYS[t.weekday]; break;
      case 'Mon': out += WEEKDAYS[t.weekday]!.slice(0, 3); break;
      case '2': out += t.day; break;
      case '_2': out += pad(t.day, 2, ' '); break;
      case '02': out += pad(t.day, 2); break;
      case '__2': out += pad(t.yday, 3, ' '); break;
      case '002': out += pad(t.yday, 3); break;
      case '15': out += pad(t.hour, 2); break;
      case '3': out += (t.hour % 12) || 12; break;
      case '03': out += pad((t.hour % 12) || 12, 2); break;
      case '4': out += t.minute; break;
      case '04': out += pad(t.minute, 2); break;
      case '5': out += t.second; break;
      case '05': out += pad(t.second, 2); break;
      case '2006': out += t.year < 0 ? '-' + pad(-t.year, 4) : pad(t.year, 4); break;
      case '06': out += pad(((t.year % 100) + 100) % 100, 2); break;
      case 'PM': out += t.hour >= 12 ? 'PM' : 'AM'; break;
      case 'pm': out += t.hour >= 12 ? 'pm' : 'am'; break;
      case 'MST': out += t.abbrev; break;
      default:
        if (c.std[0] === '.' || c.std[0] === ',') {
          const frac = pad(t.nsec, 9).slice(0, c.digits);
          if (c.std[1] === '0') out += c.std[0] + frac;
          else { const trimmed = frac.replace(/0+$/, ''); if (trimmed) out += c.std[0] + trimmed; }
        } else {
          out += formatOffset(c.std, t.offset);
        }
    }
  }
  return out;
}

/** Result of parsing: the wall clock, and the offset when the value named one (else the caller's zone applies). */
export interface Parsed { wallSeconds: bigint; nsec: number; offset: number | undefined }

export class TimeParseError extends Error {}

function quote(s: string): string {
  return JSON.stringify(s);
}

export function parse(layout: string, value: string): Parsed {
  const fail = (valueElem: string, layoutElem: string): never => {
    throw new TimeParseError(`parsing time ${quote(value)} as ${quote(layout)}: cannot parse ${quote(valueElem)} as ${quote(layoutElem)}`);
  };
  const range = (what: string): never => {
    throw new TimeParseError(`parsing time ${quote(value)}: ${what} out of range`);
  };
  let year = 1, month = 1, day = 1, yday = -1, hour = 0, minute = 0, second = 0, nsec = 0;
  let pm: boolean | undefined;
  let offset: number | undefined;
  let rest = value;
  const num = (min: number, max: number, layoutElem: string): number => {
    const m = new RegExp(`^\\d{${min},${max}}`).exec(rest);
    if (!m) fail(rest, layoutElem);
    rest = rest.slice(m![0].length);
    return Number(m![0]);
  };
  const name = (names: readonly string[], layoutElem: string): number => {
    const i = names.findIndex((n) => rest.toLowerCase().startsWith(n.toLowerCase()));
    if (i < 0) fail(rest, layoutElem);
    rest = rest.slice(names[i]!.length);
    return i;
  };
  const fraction = (): number => {
    const m = /^[.,](\d+)/.exec(rest);
    if (!m) return 0;
    rest = rest.slice(m[0].length);
    return Number(m[1]!.slice(0, 9).padEnd(9, '0'));
  };
  const cs = chunks(layout);
  for (const [ci, c] of cs.entries()) {
    if (c.kind === 'lit') {
      if (!rest.startsWith(c.text)) fail(rest, c.text);
      rest = rest.slice(c.text.length);
      continue;
    }
    const std = c.std;
    switch (std) {
      case 'January': month = name(MONTHS, std) + 1; break;
      case 'Jan': month = name(MONTHS.map((m) => m.slice(0, 3)), std) + 1; break;
      case '1': case '01': month = num(std === '1' ? 1 : 2, 2, std); if (month < 1 || month > 12) range('month'); break;
      case 'Monday': name(WEEKDAYS, std); break;
      case 'Mon': name(WEEKDAYS.map((d) => d.slice(0, 3)), std); break;
      case '2': case '02': day = num(std === '2' ? 1 : 2, 2, std); break;
      case '_2': if (rest.startsWith(' ')) rest = rest.slice(1); day = num(1, 2, std); break;
      case '__2': case '002': rest = rest.replace(/^ {1,2}/, ''); yday = num(1, 3, std); break;
      case '15': hour = num(1, 2, std); if (hour > 23) range('hour'); break;
      case '3': case '03': hour = num(std === '3' ? 1 : 2, 2, std); if (hour > 12) range('hour'); break;
      case '4': case '04': minute = num(std === '4' ? 1 : 2, 2, std); if (minute > 59) range('minute'); break;
      case '5': case '05':
        second = num(std === '5' ? 1 : 2, 2, std);
        if (second > 59) range('second');
        {
          // Go accepts a fractional second after a seconds field when the layout does not spell one out next.
          const next = cs[ci + 1];
          if (!(next?.kind === 'std' && (next.std[0] === '.' || next.std[0] === ','))) nsec = fraction();
        }
        break;
      case '2006': {
        const m = /^\d{4}/.exec(rest);
        if (!m) fail(rest, std);
        rest = rest.slice(m![0].length);
        year = Number(m![0]);
        break;
      }
      case '06': year = num(2, 2, std); year += year >= 69 ? 1900 : 2000; break;
      case 'PM': case 'pm': {
        const s = rest.slice(0, 2).toUpperCase();
        if (s !== 'AM' && s !== 'PM') fail(rest, std);
        pm = s === 'PM';
        rest = rest.slice(2);
        break;
      }
      case 'MST': {
        const m = /^(UTC|GMT[+-]\d+|[A-Z]{3,5})/.exec(rest);
        if (!m) fail(rest, std);
        rest = rest.slice(m![0].length);
        // Go knows only the local zone's names (UTC here); other abbreviations get a zero offset, GMT±h its hours.
        offset = m![0].startsWith('GMT') ? Number(m![0].slice(3) || 0) * 3600 : 0;
        break;
      }
      default:
        if (std[0] === '.' || std[0] === ',') {
          const digits = c.digits ?? 1;
          if (std[1] === '0') {
            // A fixed-width fraction takes exactly its digits; any more are left over as extra text.
            const m = new RegExp(`^[.,](\\d{${digits}})`).exec(rest);
            if (!m) fail(rest, std[0]! + '0'.repeat(digits));
            rest = rest.slice(m![0].length);
            nsec = Number(m![1]!.slice(0, 9).padEnd(9, '0'));
          } else {
            nsec = fraction();
          }
        } else {
          offset = parseOffset(std, () => rest, (r) => { rest = r; }, () => fail(rest, std));
        }
    }
  }
  if (rest !== '') throw new TimeParseError(`parsing time ${quote(value)}: extra text: ${quote(rest)}`);
  if (pm !== undefined) {
    if (pm && hour < 12) hour += 12;
    else if (!pm && hour === 12) hour = 0;
  }
  if (yday >= 0) {
    const d0 = daysFromCivil(year, 1, 1) + yday - 1;
    ({ month, day } = civilFromDays(d0));
  }
  if (day < 1 || day > daysIn(month, year)) {
    throw new TimeParseError(`parsing time ${quote(value)}: day out of range`);
  }
  const days = BigInt(daysFromCivil(year, month, day));
  return { wallSeconds: days * 86400n + BigInt(hour * 3600 + minute * 60 + second), nsec, offset };
}

function parseOffset(std: string, get: () => string, set: (r: string) => void, fail: () => never): number {
  const rest = get();
  if (std[0] === 'Z' && rest.startsWith('Z')) { set(rest.slice(1)); return 0; }
  const shapes: Record<string, RegExp> = {
    '07': /^([+-])(\d\d)/, '0700': /^([+-])(\d\d)(\d\d)/, '07:00': /^([+-])(\d\d):(\d\d)/,
    '070000': /^([+-])(\d\d)(\d\d)(\d\d)/, '07:00:00': /^([+-])(\d\d):(\d\d):(\d\d)/,
  };
  const m = shapes[std.slice(1)]!.exec(rest);
  if (!m) fail();
  set(rest.slice(m![0].length));
  const secs = Number(m![2]) * 3600 + Number(m![3] ?? 0) * 60 + Number(m![4] ?? 0);
  return m![1] === '-' ? -secs : secs;
}
