import { describe, expect, it } from 'vitest';
import { commandOf, problemOf } from './outcome.ts';

describe('/lock and /unlock', () => {
  it.each([
    ['/lock api', { verb: 'lock', service: 'api' }],
    ['/lock api production', { verb: 'lock', service: 'api', env: 'production' }],
    ['/lock api production database migration', { verb: 'lock', service: 'api', env: 'production', reason: 'database migration' }],
    ['/lock api investigating checkout errors', { verb: 'lock', service: 'api', reason: 'investigating checkout errors' }],
    ['/lock web "staging is flaky"', { verb: 'lock', service: 'web', reason: 'staging is flaky' }],
    ['/lock web --reason "db migration"', { verb: 'lock', service: 'web', reason: 'db migration' }],
    ['/unlock api', { verb: 'unlock', service: 'api' }],
    ['/unlock api production', { verb: 'unlock', service: 'api', env: 'production' }],
  ])('%s', (text, expected) => {
    expect(commandOf(text)).toEqual(expected);
  });

  it.each([
    ['/lock', { code: 'parse_missing_argument', message: '`/lock` needs a service. Known services: `api`, `web`, `worker`, `billing` and `search`.' }],
    // A misspelt environment must not quietly become a reason (and lock every environment).
    ['/lock api prodution db migration', { message: '`api` has no environment `prodution`. Did you mean `production`?', suggestion: '/lock api production db migration' }],
    ['/lock api production migration --reason twice', { message: 'Give the reason once: either after the service or with `--reason`.' }],
    ['/unlock', { code: 'parse_missing_argument' }],
    ['/unlock api production now', { message: "I don't know what to do with `now` here." }],
    ['/unlock api qa', { message: '`api` has no environment `qa`. Its environments are `staging` and `production`.' }],
  ])('problem: %s', (text, expected) => {
    expect(problemOf(text)).toMatchObject(expected);
  });
});
