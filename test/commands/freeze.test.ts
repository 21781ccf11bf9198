import { describe, expect, it } from 'vitest';
import { commandOf, problemOf } from './outcome.ts';

describe('/freeze and /unfreeze', () => {
  it.each([
    ['/freeze production', { verb: 'freeze', env: 'production' }],
    ['/freeze production holiday freeze', { verb: 'freeze', env: 'production', reason: 'holiday freeze' }],
    ['/freeze production until 2026-12-27 holidays', { verb: 'freeze', env: 'production', until: { kind: 'at', at: '2026-12-27T00:00:00.000Z' }, reason: 'holidays' }],
    ['/freeze production until 2026-12-01T09:30', { verb: 'freeze', env: 'production', until: { kind: 'at', at: '2026-12-01T09:30:00.000Z' } }],
    ['/freeze production until 2026-12-01T09:30+01:00', { verb: 'freeze', env: 'production', until: { kind: 'at', at: '2026-12-01T08:30:00.000Z' } }],
    ['/freeze production until 2h', { verb: 'freeze', env: 'production', until: { kind: 'for', ms: 7_200_000 } }],
    ['/freeze qa for 1h30m incident 4711', { verb: 'freeze', env: 'qa', until: { kind: 'for', ms: 5_400_000 }, reason: 'incident 4711' }],
    ['/unfreeze production', { verb: 'unfreeze', env: 'production' }],
    ['/thaw Production', { verb: 'unfreeze', env: 'production' }],
  ])('%s', (text, expected) => {
    expect(commandOf(text)).toEqual(expected);
  });

  it.each([
    ['/freeze', { code: 'parse_missing_argument', message: '`/freeze` needs an environment: `staging`, `production` and `qa`.' }],
    ['/freeze prodution', { code: 'parse_invalid_argument', message: 'Unknown environment `prodution`. Did you mean `production`?', suggestion: '/freeze production' }],
    ['/freeze mars', { message: 'Unknown environment `mars`. Known environments: `staging`, `production` and `qa`.' }],
    ['/freeze production until', { code: 'parse_missing_argument', message: '`until` needs a time, like `until 2026-12-01T09:00Z` or `until 2026-12-01`.' }],
    ['/freeze production until friday', { message: '`friday` is not a date or time I can read. Try `until 2026-12-01T09:00Z` or `until 2026-12-01` (UTC unless you add an offset).' }],
    ['/freeze production until 2026-02-30', { message: '`2026-02-30` is not a date or time I can read. Try `until 2026-12-01T09:00Z` or `until 2026-12-01` (UTC unless you add an offset).' }],
    ['/freeze production until 2026-13-45', { message: '`2026-13-45` is not a date or time I can read. Try `until 2026-12-01T09:00Z` or `until 2026-12-01` (UTC unless you add an offset).' }],
    ['/freeze production for a while', { message: '`a` is not a duration. Try `for 2h` or `for 1d`.' }],
    ['/unfreeze production now', { message: "I don't know what to do with `now` here." }],
  ])('problem: %s', (text, expected) => {
    expect(problemOf(text)).toMatchObject(expected);
  });
});
