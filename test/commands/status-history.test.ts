import { describe, expect, it } from 'vitest';
import { commandOf, problemOf } from './outcome.ts';

describe('/status', () => {
  it.each([
    ['/status', { verb: 'status' }],
    ['/status api', { verb: 'status', service: 'api' }],
    ['/status API Production', { verb: 'status', service: 'api', env: 'production' }],
    ['/status production', { verb: 'status', env: 'production' }],
    ['/status qa', { verb: 'status', env: 'qa' }],
    ['/status all', { verb: 'status' }],
  ])('%s', (text, expected) => {
    expect(commandOf(text)).toEqual(expected);
  });

  it.each([
    ['/status apu', { code: 'parse_invalid_argument', message: 'Unknown service `apu`. Did you mean `api`?', suggestion: '/status api' }],
    ['/status prod', { code: 'parse_invalid_argument', message: 'There is no service or environment `prod`. Did you mean `production`?', suggestion: '/status production' }],
    ['/status api qa', { message: '`api` has no environment `qa`. Its environments are `staging` and `production`.' }],
    ['/status api production now', { message: "I don't know what to do with `now` here.", suggestion: '/status api production' }],
    ['/status --verbose', { message: '`/status` has no option `--verbose`.', hint: 'It has no options.' }],
  ])('problem: %s', (text, expected) => {
    expect(problemOf(text)).toMatchObject(expected);
  });
});

describe('/history', () => {
  it.each([
    ['/history api', { verb: 'history', service: 'api' }],
    ['/history api production', { verb: 'history', service: 'api', env: 'production' }],
    ['/log web staging', { verb: 'history', service: 'web', env: 'staging' }],
  ])('%s', (text, expected) => {
    expect(commandOf(text)).toEqual(expected);
  });

  it.each([
    ['/history', { code: 'parse_missing_argument', message: '`/history` needs a service. Known services: `api`, `web`, `worker`, `billing` and `search`.', usage: '/history <service> [<env>]' }],
    ['/history api stagign', { message: '`api` has no environment `stagign`. Did you mean `staging`?', suggestion: '/history api staging' }],
    ['/history api production 20', { message: "I don't know what to do with `20` here.", suggestion: '/history api production' }],
  ])('problem: %s', (text, expected) => {
    expect(problemOf(text)).toMatchObject(expected);
  });
});
