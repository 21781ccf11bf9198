import { describe, expect, it } from 'vitest';
import { commandOf, problemOf } from './outcome.ts';

describe('/approve and /deny', () => {
  it.each([
    ['/approve 12', { verb: 'approve', deployId: '12' }],
    ['/approve #12', { verb: 'approve', deployId: '12' }],
    ['/deny 12', { verb: 'deny', deployId: '12' }],
    ['/deny 12 not during the sale', { verb: 'deny', deployId: '12', reason: 'not during the sale' }],
    ['/deny 12 "not during the sale"', { verb: 'deny', deployId: '12', reason: 'not during the sale' }],
    ['/deny #7 --reason “wait for the fix”', { verb: 'deny', deployId: '7', reason: 'wait for the fix' }],
    ["/reject 3 don't ship on friday", { verb: 'deny', deployId: '3', reason: "don't ship on friday" }],
  ])('%s', (text, expected) => {
    expect(commandOf(text)).toEqual(expected);
  });

  it.each([
    ['/approve', { code: 'parse_missing_argument', message: '`/approve` needs the deploy id, the number on the deploy card, like `/approve 12`.', usage: '/approve <deploy-id>' }],
    ['/approve abc', { code: 'parse_invalid_argument', message: '`abc` is not a deploy id. Deploy ids are the numbers on deploy cards, like `/approve 12`.' }],
    ['/approve 0', { code: 'parse_invalid_argument', message: '`0` is not a deploy id. Deploy ids are the numbers on deploy cards, like `/approve 12`.' }],
    ['/approve 12 13', { code: 'parse_invalid_argument', message: "I don't know what to do with `13` here. `/approve` takes one deploy id.", suggestion: '/approve 12' }],
    ['/deny', { code: 'parse_missing_argument', message: '`/deny` needs the deploy id, the number on the deploy card, like `/deny 12`.' }],
    ['/deny 12 because --reason twice', { message: 'Give the reason once: either after the id or with `--reason`.' }],
  ])('problem: %s', (text, expected) => {
    expect(problemOf(text)).toMatchObject(expected);
  });
});
