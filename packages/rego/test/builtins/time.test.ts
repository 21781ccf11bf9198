import { describe, expect, it } from 'vitest';
import { call, rows } from './call.ts';

const RFC3339 = '2006-01-02T15:04:05Z07:00';
const NS = 1670006453141828752n;

describe('time', () => {
  it('time.now_ns is the context clock', () => {
    expect(call('time.now_ns')).toBe('1700000000000000000');
  });

  it.each(rows([
    ['time.parse_ns', [RFC3339, '2017-06-02T19:00:00-07:00'], '1496455200000000000'],
    ['time.parse_ns', [RFC3339, '1677-09-21T00:12:43.145224192-00:00'], '-9223372036854775808'],
    ['time.parse_ns', [RFC3339, '2262-04-11T23:47:16.854775807-00:00'], '9223372036854775807'],
    ['time.parse_ns', [RFC3339, '1677-09-21T00:12:43.145224191-00:00'], 'eval_builtin_error: time.parse_ns: time outside of valid range'],
    ['time.parse_ns', ["01/02 03:04:05PM '06 -0700", "06/02 07:00:00PM '17 -0700"], '1496455200000000000'],
    ['time.parse_ns', ['02 Jan 06 15:04 -0700', '02 Jun 17 19:00 -0700'], '1496455200000000000'],
    ['time.parse_ns', ['RFC822Z', '02 Jun 17 19:00 -0700'], '1496455200000000000'],
    ['time.parse_ns', ['2006-01-02', '2020-02-30'], 'eval_builtin_error: time.parse_ns: parsing time "2020-02-30": day out of range'],
    ['time.parse_ns', ['2006-01-02', 'x'], 'eval_builtin_error: time.parse_ns: parsing time "x" as "2006-01-02": cannot parse "x" as "2006"'],
    ['time.parse_rfc3339_ns', ['1970-01-01T00:00:00-00:00'], '0'],
    ['time.parse_ns', ['2006-01-02', '2020-13-01'], 'eval_builtin_error: time.parse_ns: parsing time "2020-13-01": month out of range'],
    ['time.parse_ns', ['15:04', '24:00'], 'eval_builtin_error: time.parse_ns: parsing time "24:00": hour out of range'],
    ['time.parse_ns', ['2006-01-02', '2020-01-01x'], 'eval_builtin_error: time.parse_ns: parsing time "2020-01-01x": extra text: "x"'],
    ['time.parse_ns', ['Jan 2 2006 MST', 'feb 3 2020 PST'], '1580688000000000000'],
    ['time.parse_ns', ['2006-01-02 15:04:05.000', '2020-01-01 00:00:00.5'], 'eval_builtin_error: time.parse_ns: parsing time "2020-01-01 00:00:00.5" as "2006-01-02 15:04:05.000": cannot parse ".5" as ".000"'],
    ['time.parse_ns', ['2006-01-02 15:04:05', '2020-01-01 00:00:00.123456789'], '1577836800123456789'],
    ['time.parse_ns', ['UnixDate', 'Mon Jan  2 15:04:05 GMT+2 2006'], '1136207045000000000'],
    ['time.parse_rfc3339_ns', ['2262-04-11T23:47:16.854775808-00:00'], 'eval_builtin_error: time.parse_rfc3339_ns: time outside of valid range'],
    ['time.parse_duration_ns', ['100ms'], '100000000'],
    ['time.parse_duration_ns', ['1h2m3.5s'], '3723500000000'],
    ['time.parse_duration_ns', ['-1.5h'], '-5400000000000'],
    ['time.parse_duration_ns', ['1'], 'eval_builtin_error: time.parse_duration_ns: time: missing unit in duration "1"'],
    ['time.parse_duration_ns', ['1x'], 'eval_builtin_error: time.parse_duration_ns: time: unknown unit "x" in duration "1x"'],
    ['time.format', [NS], '"2022-12-02T18:40:53.141828752Z"'],
    ['time.format', [[NS, 'Asia/Kolkata']], '"2022-12-03T00:10:53.141828752+05:30"'],
    ['time.format', [[NS, 'Asia/Kolkata', 'Mon Jan 02 15:04:05 -0700 2006']], '"Sat Dec 03 00:10:53 +0530 2022"'],
    ['time.format', [[NS, 'Asia/Kolkata', 'RFC1123Z']], '"Sat, 03 Dec 2022 00:10:53 +0530"'],
    ['time.format', [[NS, 'UTC', 'Jan _2 3:04PM .000 ,999']], '"Dec  2 6:40PM .141 ,141"'],
    ['time.format', [1.5829776e22], 'eval_builtin_error: time.format: timestamp too big'],
    ['time.format', [[NS, 'Asia/Kolkata', 'UnixDate']], '"Sat Dec  3 00:10:53 IST 2022"'],
    ['time.format', [[NS, 'America/New_York', 'RFC1123']], '"Fri, 02 Dec 2022 13:40:53 EST"'],
    ['time.format', [[1656000000000000000n, 'Europe/Berlin', 'MST -07:00']], '"CEST +02:00"'],
    ['time.format', [[1656000000000000000n, 'Asia/Dubai', 'MST']], '"+04"'],
    ['time.format', [[NS, 'Nowhere/Land']], 'eval_builtin_error: time.format: unknown time zone Nowhere/Land'],
    ['time.date', [1517832000000000000n], '[2018,2,5]'],
    ['time.date', [[1517814000000000000n, 'America/Los_Angeles']], '[2018,2,4]'],
    ['time.date', [[1517832000000000000n, '']], '[2018,2,5]'],
    ['time.date', [1582977600000000000n], '[2020,2,29]'],
    ['time.date', ['x'], 'eval_type_error: time.date: operand 1 must be either number (ns) or [number (ns), string (tz)] but got string'],
    ['time.clock', [1517832000000000000n], '[12,0,0]'],
    ['time.clock', [[1517832000000000000n, 'America/New_York']], '[7,0,0]'],
    ['time.weekday', [1517832000000000000n], '"Monday"'],
    ['time.weekday', [1518350400000000000n], '"Sunday"'],
    ['time.weekday', [-1], '"Wednesday"'],
    ['time.add_date', [1585852421593912000n, 3, 9, 12], '1705257221593912000'],
    ['time.add_date', [1585852421593912000n, -1, -1, -1], '1551465221593912000'],
    ['time.add_date', [0, 2262, 1, 1], 'eval_builtin_error: time.add_date: time outside of valid range'],
    ['time.add_date', [-9223372036854775808n, 0, 0, -1], 'eval_builtin_error: time.add_date: time outside of valid range'],
    ['time.diff', [1580601600000000000n, 1583020800000000000n], '[0,0,28,0,0,0]'],
    ['time.diff', [1612224000000000000n, 1614556800000000000n], '[0,0,27,0,0,0]'],
    ['time.diff', [1078012800000000000n, 1109635200000000000n], '[1,0,1,0,0,0]'],
    ['time.diff', [61_000_000_000, 0], '[0,0,0,0,1,1]'],
    ['time.diff', [[60_000_000_000, 'UTC'], [0, 'Asia/Shanghai']], '[0,0,0,0,1,0]'],
  ]))('%s', (_label, name, args, want) => {
    expect(call(name, ...args)).toBe(want);
  });
});
