/** Time builtins: v1/topdown/time.go. Instants are int64 nanoseconds; zones come from Intl (time-zones.ts). */
import { isNumber, makeNumber } from '../value.ts';
import type { Value } from '../value.ts';
import { floorDiv, daysFromCivil, daysIn } from './civil.ts';
import { DurationError, parseDuration } from './duration.ts';
import { define } from './operands.ts';
import type { Operands } from './operands.ts';
import { TimeParseError, breakDown, format, parse } from './time-layout.ts';
import type { Broken } from './time-layout.ts';
import { UTC, loadZone, offsetAt, wallToUnix } from './time-zones.ts';
import type { Zone } from './time-zones.ts';
import type { Builtin } from './types.ts';

const INT64_MIN = -(2n ** 63n), INT64_MAX = 2n ** 63n - 1n;
const NS = 1_000_000_000n;

const LAYOUTS: Record<string, string> = {
  ANSIC: 'Mon Jan _2 15:04:05 2006',
  UnixDate: 'Mon Jan _2 15:04:05 MST 2006',
  RubyDate: 'Mon Jan 02 15:04:05 -0700 2006',
  RFC822: '02 Jan 06 15:04 MST',
  RFC822Z: '02 Jan 06 15:04 -0700',
  RFC850: 'Monday, 02-Jan-06 15:04:05 MST',
  RFC1123: 'Mon, 02 Jan 2006 15:04:05 MST',
  RFC1123Z: 'Mon, 02 Jan 2006 15:04:05 -0700',
  RFC3339: '2006-01-02T15:04:05Z07:00',
  RFC3339Nano: '2006-01-02T15:04:05.999999999Z07:00',
};

interface ZonedTime { readonly ns: bigint; readonly zone: Zone; readonly layout: string }

/** OPA's tzTime: `ns` or `[ns, tz]` or `[ns, tz, layout]`. */
function zonedTime(a: Operands, v: Value): ZonedTime {
  let n: Value = v, zone = UTC, layout = '';
  if (Array.isArray(v)) {
    if (v.length === 0) throw a.typeErr(1, 'either number (ns) or [number (ns), string (tz)]');
    n = v[0]!;
    if (!isNumber(n)) throw a.operandErrOf(1, n, 'number');
    if (v.length > 1) {
      const tz = v[1]!;
      if (typeof tz !== 'string') throw a.operandErrOf(1, tz, 'string');
      const z = loadZone(tz);
      if (typeof z === 'string') throw a.fail(z);
      zone = z;
    }
    if (v.length > 2) {
      const l = v[2]!;
      if (typeof l !== 'string') throw a.operandErrOf(1, l, 'string');
      layout = l;
    }
  } else if (!isNumber(v)) {
    throw a.typeErr(1, 'either number (ns) or [number (ns), string (tz)]');
  }
  const num = n as number | bigint;
  if (typeof num === 'number' && !Number.isInteger(num)) throw a.fail('timestamp too big');
  const ns = BigInt(num);
  if (ns < INT64_MIN || ns > INT64_MAX) throw a.fail('timestamp too big');
  return { ns, zone, layout };
}

function broken(t: { ns: bigint; zone: Zone }): Broken {
  const sec = floorDiv(t.ns, NS);
  const { offset, abbrev } = offsetAt(t.zone, Number(sec));
  return breakDown(sec + BigInt(offset), Number(t.ns - sec * NS), offset, abbrev);
}

function safeNs(a: Operands, ns: bigint): Value {
  if (ns < INT64_MIN || ns > INT64_MAX) throw a.fail('time outside of valid range');
  return makeNumber(ns);
}

function parseToNs(a: Operands, layout: string, value: string): Value {
  let p;
  try {
    p = parse(layout, value);
  } catch (e) {
    if (e instanceof TimeParseError) throw a.fail(e.message);
    throw e;
  }
  const unix = p.wallSeconds - BigInt(p.offset ?? 0);
  return safeNs(a, unix * NS + BigInt(p.nsec));
}

function wallSeconds(year: number, month: number, day: number, t: Broken): bigint {
  return BigInt(daysFromCivil(year, month, day)) * 86400n + BigInt(t.hour * 3600 + t.minute * 60 + t.second);
}

function diff(a: Operands): Value {
  const z1 = zonedTime(a, a.at(1)), z2 = zonedTime(a, a.at(2));
  let t1 = { ns: z1.ns, zone: z1.zone }, t2 = { ns: z2.ns, zone: z1.zone };
  if (t1.ns > t2.ns) [t1, t2] = [t2, t1];
  const b1 = broken(t1), b2 = broken(t2);
  let year = b2.year - b1.year, month = b2.month - b1.month, day = b2.day - b1.day;
  let hour = b2.hour - b1.hour, min = b2.minute - b1.minute, sec = b2.second - b1.second;
  if (sec < 0) { sec += 60; min--; }
  if (min < 0) { min += 60; hour--; }
  if (hour < 0) { hour += 24; day--; }
  if (day < 0) { day += daysIn(b1.month, b1.year); month--; }
  if (month < 0) { month += 12; year--; }
  return [year, month, day, hour, min, sec];
}

export const timeBuiltins: readonly Builtin[] = [
  define('time.now_ns', 0, (_a, ctx) => makeNumber(ctx.nowNs)),
  define('time.parse_ns', 2, (a) => {
    const layout = a.string(1), value = a.string(2);
    return parseToNs(a, LAYOUTS[layout] ?? layout, value);
  }),
  define('time.parse_rfc3339_ns', 1, (a) => parseToNs(a, LAYOUTS.RFC3339!, a.string(1))),
  define('time.parse_duration_ns', 1, (a) => {
    try {
      return makeNumber(parseDuration(a.string(1)));
    } catch (e) {
      if (e instanceof DurationError) throw a.fail(e.message);
      throw e;
    }
  }),
  define('time.format', 1, (a) => {
    const t = zonedTime(a, a.at(1));
    const layout = t.layout === '' ? LAYOUTS.RFC3339Nano! : LAYOUTS[t.layout] ?? t.layout;
    return format(broken(t), layout);
  }),
  define('time.date', 1, (a) => {
    const b = broken(zonedTime(a, a.at(1)));
    return [b.year, b.month, b.day];
  }),
  define('time.clock', 1, (a) => {
    const b = broken(zonedTime(a, a.at(1)));
    return [b.hour, b.minute, b.second];
  }),
  define('time.weekday', 1, (a) => {
    const b = broken(zonedTime(a, a.at(1)));
    return ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][b.weekday]!;
  }),
  define('time.add_date', 4, (a) => {
    const t = zonedTime(a, a.at(1));
    const years = a.int(2), months = a.int(3), days = a.int(4);
    const b = broken(t);
    const m0 = b.month - 1 + months;
    const year = b.year + years + Math.floor(m0 / 12);
    const month = (((m0 % 12) + 12) % 12) + 1;
    const wall = wallSeconds(year, month, 1, b) + BigInt(b.day - 1 + days) * 86400n;
    const unix = BigInt(wallToUnix(t.zone, Number(wall)));
    return safeNs(a, unix * NS + BigInt(b.nsec));
  }),
  define('time.diff', 2, diff),
];
