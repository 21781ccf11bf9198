import { describe, expect, it } from 'vitest';
import { commandOf, problemOf } from './outcome.ts';

describe('/rollback', () => {
  it.each([
    ['/rollback api', { service: 'api', env: 'staging' }],
    ['/rollback api production', { service: 'api', env: 'production' }],
    ['/rollback api to v1.4.0', { service: 'api', env: 'staging', toVersion: 'v1.4.0' }],
    ['/rollback api production to v1.4.0', { service: 'api', env: 'production', toVersion: 'v1.4.0' }],
    ['/rollback api v1.4.0 production', { service: 'api', env: 'production', toVersion: 'v1.4.0' }],
    ['/rollback api to production', { service: 'api', env: 'production' }],
    ['/Rollback API Production TO v1.4.0', { service: 'api', env: 'production', toVersion: 'v1.4.0' }],
    ['/rollback worker 2.3.0', { service: 'worker', env: 'staging', toVersion: '2.3.0' }],
    ['/rollback billing', { service: 'billing', env: 'production' }],
    ['/undo api production', { service: 'api', env: 'production' }],
    ['/rollback api production --reason "errors after v1.5.0"', { service: 'api', env: 'production', reason: 'errors after v1.5.0' }],
  ])('%s', (text, expected) => {
    expect(commandOf(text)).toEqual({ verb: 'rollback', ...expected });
  });

  it.each([
    ['/rollback', { code: 'parse_missing_argument', message: '`/rollback` needs a service. Known services: `api`, `web`, `worker`, `billing` and `search`.', usage: '/rollback <service> [<env>] [to <version>] [--reason "…"]' }],
    ['/rollback wbe', { code: 'parse_invalid_argument', message: 'Unknown service `wbe`. Did you mean `web`?', suggestion: '/rollback web' }],
    ['/rollback api prodution', { message: '`api` has no environment `prodution`. Did you mean `production`?', suggestion: '/rollback api production' }],
    ['/rollback api to 1.4.0', { message: '`1.4.0` is not a version of `api`. Did you mean `v1.4.0`?', suggestion: '/rollback api to v1.4.0' }],
    ['/rollback api to', { code: 'parse_missing_argument', message: '`to` needs the version to go back to.' }],
    ['/rollback api 1.4', { message: '`1.4` is not a version of `api`. Versions of `api` must match `^v\\d+\\.\\d+\\.\\d+$`, like `v1.2.3`.' }],
    ['/rollback api production please', { message: "I don't know what to do with `please` here. `please` is neither an environment of `api` nor a version." }],
    ['/rollback search', { code: 'parse_missing_argument', message: 'Which environment? `search` has `qa` and `production`.', suggestion: '/rollback search qa' }],
    ['/rollback api --dry-run', { message: '`/rollback` has no option `--dry-run`.', hint: 'Its options are `--reason`.' }],
  ])('problem: %s', (text, expected) => {
    expect(problemOf(text)).toMatchObject(expected);
  });
});
