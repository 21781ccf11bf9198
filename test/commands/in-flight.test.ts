import { describe, expect, it } from 'vitest';
import { commandOf, problemOf } from './outcome.ts';

describe.each(['promote', 'pause', 'resume'] as const)('/%s', (verb) => {
  it.each([
    [`/${verb}`, { verb }],
    [`/${verb} api`, { verb, service: 'api' }],
    [`/${verb} api production`, { verb, service: 'api', env: 'production' }],
  ])('%s', (text, expected) => {
    expect(commandOf(text)).toEqual(expected);
  });

  it.each([
    [`/${verb} apx`, { message: 'Unknown service `apx`. Did you mean `api`?', suggestion: `/${verb} api` }],
    [`/${verb} api prodcution`, { message: '`api` has no environment `prodcution`. Did you mean `production`?' }],
    [`/${verb} api production now`, { message: "I don't know what to do with `now` here." }],
  ])('problem: %s', (text, expected) => {
    expect(problemOf(text)).toMatchObject({ code: 'parse_invalid_argument', usage: `/${verb} [<service> [<env>]]${verb === 'promote' ? ' [--full]' : ''}`, ...expected });
  });
});

describe('/abort', () => {
  it.each([
    ['/abort api', { verb: 'abort', service: 'api' }],
    ['/abort api production', { verb: 'abort', service: 'api', env: 'production' }],
    ['/cancel api production --reason "error rate climbing"', { verb: 'abort', service: 'api', env: 'production', reason: 'error rate climbing' }],
  ])('%s', (text, expected) => {
    expect(commandOf(text)).toEqual(expected);
  });

  it.each([
    ['/abort', { code: 'parse_missing_argument', message: '`/abort` needs a service. Known services: `api`, `web`, `worker`, `billing` and `search`.' }],
    ['/abort api everything', { code: 'parse_invalid_argument', message: '`api` has no environment `everything`. Its environments are `staging` and `production`.' }],
  ])('problem: %s', (text, expected) => {
    expect(problemOf(text)).toMatchObject(expected);
  });
});
