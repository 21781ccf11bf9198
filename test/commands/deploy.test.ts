import { describe, expect, it } from 'vitest';
import { deploy } from '../../commands/deploy.ts';
import { commandOf, problemOf } from './outcome.ts';

const base = { verb: 'deploy', dryRun: false } as const;

describe('/deploy', () => {
  it.each([
    ['/deploy api v1.5.0', { service: 'api', env: 'staging', version: 'v1.5.0', strategy: { kind: 'rolling' } }],
    ['/deploy api v1.5.0 to production', { service: 'api', env: 'production', version: 'v1.5.0', strategy: { kind: 'rolling' } }],
    ['/deploy api v1.5.0 production', { service: 'api', env: 'production', version: 'v1.5.0', strategy: { kind: 'rolling' } }],
    ['/deploy api v1.5.0 canary 5%', { service: 'api', env: 'staging', version: 'v1.5.0', strategy: { kind: 'canary', percent: 5 } }],
    ['/deploy api v1.5.0 canary 5 %', { service: 'api', env: 'staging', version: 'v1.5.0', strategy: { kind: 'canary', percent: 5 } }],
    ['/deploy api v1.5.0 canary 25', { service: 'api', env: 'staging', version: 'v1.5.0', strategy: { kind: 'canary', percent: 25 } }],
    ['/deploy api v1.5.0 canary', { service: 'api', env: 'staging', version: 'v1.5.0', strategy: { kind: 'canary', percent: 5 } }],
    ['/deploy api v1.5.0 canary 100%', { service: 'api', env: 'staging', version: 'v1.5.0', strategy: { kind: 'canary', percent: 100 } }],
    ['/deploy api v1.5.0 canary 10% to production', { service: 'api', env: 'production', version: 'v1.5.0', strategy: { kind: 'canary', percent: 10 } }],
    ['/deploy api v1.5.0 to production canary 10%', { service: 'api', env: 'production', version: 'v1.5.0', strategy: { kind: 'canary', percent: 10 } }],
    ['/deploy api v1.5.0 bluegreen', { service: 'api', env: 'staging', version: 'v1.5.0', strategy: { kind: 'bluegreen' } }],
    ['/deploy api v1.5.0 blue-green', { service: 'api', env: 'staging', version: 'v1.5.0', strategy: { kind: 'bluegreen' } }],
    ['/deploy api v1.5.0 rolling', { service: 'api', env: 'staging', version: 'v1.5.0', strategy: { kind: 'rolling' } }],
    ['/DEPLOY API v1.5.0 TO PRODUCTION CANARY 10%', { service: 'api', env: 'production', version: 'v1.5.0', strategy: { kind: 'canary', percent: 10 } }],
    ['/deploy   api    v1.5.0   ', { service: 'api', env: 'staging', version: 'v1.5.0', strategy: { kind: 'rolling' } }],
    // The service's default strategy: web is canary by default.
    ['/deploy web v2.1.0', { service: 'web', env: 'staging', version: 'v2.1.0', strategy: { kind: 'canary', percent: 5 } }],
    ['/deploy web v2.1.0 rolling', { service: 'web', env: 'staging', version: 'v2.1.0', strategy: { kind: 'rolling' } }],
    ['/deploy worker 2.4.0', { service: 'worker', env: 'staging', version: '2.4.0', strategy: { kind: 'rolling' } }],
    // billing has only production: that is its default; versions keep their case.
    ['/deploy billing Release-7.RC1', { service: 'billing', env: 'production', version: 'Release-7.RC1', strategy: { kind: 'bluegreen' } }],
    ['/ship api v1.5.0', { service: 'api', env: 'staging', version: 'v1.5.0', strategy: { kind: 'rolling' } }],
    ['/deploy api@v1.5.0 to production', { service: 'api', env: 'production', version: 'v1.5.0', strategy: { kind: 'rolling' } }],
    ['/deploy api v1.5.0 canary10%', { service: 'api', env: 'staging', version: 'v1.5.0', strategy: { kind: 'canary', percent: 10 } }],
    ['/deploy api v1.5.0 canary:10 %', { service: 'api', env: 'staging', version: 'v1.5.0', strategy: { kind: 'canary', percent: 10 } }],
  ])('%s', (text, expected) => {
    expect(commandOf(text)).toEqual({ ...base, ...expected });
  });

  it.each([
    ['/deploy api v1.5.0 --dry-run', { dryRun: true }],
    ['/deploy api v1.5.0 —dry-run', { dryRun: true }],
    ['/deploy --dry-run api v1.5.0', { dryRun: true }],
    ['/deploy api v1.5.0 --reason "fixes the login bug"', { reason: 'fixes the login bug' }],
    ['/deploy api v1.5.0 --reason “fixes the login bug”', { reason: 'fixes the login bug' }],
    ["/deploy api v1.5.0 --reason 'fixes the login bug'", { reason: 'fixes the login bug' }],
    ['/deploy api v1.5.0 --reason=“hot fix”', { reason: 'hot fix' }],
    ['/deploy api v1.5.0 --reason fixes the login bug', { reason: 'fixes the login bug' }],
    ['/deploy api v1.5.0 –reason "don’t wait" --dry-run', { reason: 'don’t wait', dryRun: true }],
  ])('flags: %s', (text, expected) => {
    expect(commandOf(text)).toMatchObject({ verb: 'deploy', service: 'api', version: 'v1.5.0', ...expected });
  });

  it.each([
    ['/deploy', {
      code: 'parse_missing_argument',
      message: '`/deploy` needs a service. Known services: `api`, `web`, `worker`, `billing` and `search`.',
      usage: deploy.usage,
    }],
    ['/deploy api', {
      code: 'parse_missing_argument',
      message: 'Which version of `api`? The version comes right after the service, like `/deploy api v1.2.3`.',
      usage: deploy.usage,
    }],
    ['/deploy api to production', {
      code: 'parse_missing_argument',
      message: 'Which version of `api`? The version comes right after the service, like `/deploy api v1.2.3`.',
      suggestion: '/deploy api v1.2.3 to production',
    }],
    ['/deploy apu v1.5.0', {
      code: 'parse_invalid_argument',
      message: 'Unknown service `apu`. Did you mean `api`?',
      suggestion: '/deploy api v1.5.0',
    }],
    ['/deploy payments v1.5.0', {
      code: 'parse_invalid_argument',
      message: 'Unknown service `payments`. Known services: `api`, `web`, `worker`, `billing` and `search`.',
    }],
    ['/deploy v1.5.0 api', {
      code: 'parse_invalid_argument',
      message: 'The service comes before the version: `/deploy api v1.5.0`.',
      suggestion: '/deploy api v1.5.0',
    }],
    ['/deploy api 1.5.0', {
      code: 'parse_invalid_argument',
      message: '`1.5.0` is not a version of `api`. Did you mean `v1.5.0`?',
      hint: 'Versions of `api` must match `^v\\d+\\.\\d+\\.\\d+$`, like `v1.2.3`.',
      suggestion: '/deploy api v1.5.0',
    }],
    ['/deploy api latest', {
      code: 'parse_invalid_argument',
      message: '`latest` is not a version of `api`. Versions of `api` must match `^v\\d+\\.\\d+\\.\\d+$`, like `v1.2.3`.',
    }],
    ['/deploy worker v2.4.0', {
      message: '`v2.4.0` is not a version of `worker`. Did you mean `2.4.0`?',
      hint: 'Versions of `worker` must match `^\\d+\\.\\d+\\.\\d+$`, like `2.3.0`.',
    }],
    ['/deploy api v1.5.0 to prodution', {
      code: 'parse_invalid_argument',
      message: '`api` has no environment `prodution`. Did you mean `production`?',
      hint: 'Its environments are `staging` and `production`.',
      suggestion: '/deploy api v1.5.0 to production',
    }],
    ['/deploy api v1.5.0 to prod', {
      message: '`api` has no environment `prod`. Did you mean `production`?',
      suggestion: '/deploy api v1.5.0 to production',
    }],
    ['/deploy api v1.5.0 to qa', {
      code: 'parse_invalid_argument',
      message: '`api` has no environment `qa`. Its environments are `staging` and `production`.',
    }],
    ['/deploy api v1.5.0 to', {
      code: 'parse_missing_argument',
      message: '`to` needs an environment of `api`: `staging` and `production`.',
    }],
    ['/deploy search v1.5.0', {
      code: 'parse_missing_argument',
      message: 'Which environment? `search` has `qa` and `production`; add `to <env>`.',
      suggestion: '/deploy search v1.5.0 to qa',
    }],
    ['/deploy api v1.5.0 canary 150%', {
      code: 'parse_invalid_argument',
      message: 'The canary percentage must be a whole number from 1 to 100, not `150%`.',
    }],
    ['/deploy api v1.5.0 canary 0%', { message: 'The canary percentage must be a whole number from 1 to 100, not `0%`.' }],
    ['/deploy api v1.5.0 canary 2.5%', { message: 'The canary percentage must be a whole number from 1 to 100, not `2.5%`.' }],
    ['/deploy api v1.5.0 canary -5%', { message: 'The canary percentage must be a whole number from 1 to 100, not `-5%`.' }],
    ['/deploy api v1.5.0 canary5x', { message: 'The canary percentage must be a whole number from 1 to 100, not `5x`.' }],
    ['/deploy billing .hidden', {
      message: '`.hidden` cannot be an image tag: tags are letters, digits, `_`, `.` and `-`, at most 128 characters, not starting with `.` or `-`.',
    }],
    ['/deploy api@1.5.0', { message: '`1.5.0` is not a version of `api`. Did you mean `v1.5.0`?', suggestion: '/deploy api v1.5.0' }],
    ['/deploy api v1.5.0 5%', {
      code: 'parse_invalid_argument',
      message: 'A percentage only goes with `canary`. Did you mean `canary 5%`?',
      suggestion: '/deploy api v1.5.0 canary 5%',
    }],
    ['/deploy api v1.5.0 canry 5%', {
      message: 'Unknown strategy `canry`. Did you mean `canary`?',
      suggestion: '/deploy api v1.5.0 canary 5%',
    }],
    ['/deploy api v1.5.0 canary rolling', { message: 'The strategy is given twice (`canary` and `rolling`).' }],
    ['/deploy api v1.5.0 staging production', { message: 'The environment is given twice (`staging` and `production`).' }],
    ['/deploy api v1.5.0 now please', {
      code: 'parse_invalid_argument',
      message: "I don't know what to do with `now` here.",
      suggestion: '/deploy api v1.5.0 please',
    }],
    ['/deploy api v1.5.0 v1.5.1', { message: "I don't know what to do with `v1.5.1` here. `/deploy` takes one version." }],
    ['/deploy api v1.5.0 --force', {
      code: 'parse_invalid_argument',
      message: '`/deploy` has no option `--force`.',
      hint: 'Its options are `--dry-run` and `--reason`.',
    }],
    ['/deploy api v1.5.0 --dry-rn', {
      message: '`/deploy` has no option `--dry-rn`. Did you mean `--dry-run`?',
      suggestion: '/deploy api v1.5.0 --dry-run',
    }],
    ['/deploy api v1.5.0 --reason', {
      code: 'parse_missing_argument',
      message: '`--reason` needs some text, like `--reason "hotfix for the login bug"`.',
    }],
    ['/deploy api v1.5.0 "to" production', { message: "I don't know what to do with `to` here." }],
  ])('problem: %s', (text, expected) => {
    expect(problemOf(text)).toMatchObject(expected);
  });

  it('keeps flags in a suggested line, so following it never drops --dry-run', () => {
    expect(problemOf('/deploy api v1.5.0 --dry-run to prodution').suggestion).toBe('/deploy api v1.5.0 --dry-run to production');
    expect(problemOf('/deploy apu v1.5.0 --reason "a b"').suggestion).toBe('/deploy api v1.5.0 --reason "a b"');
  });
});
