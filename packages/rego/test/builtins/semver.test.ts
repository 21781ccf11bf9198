import { describe, expect, it } from 'vitest';
import { call, rows } from './call.ts';

describe('semver precedence (SemVer 2.0.0 §11, OPA internal/semver)', () => {
  it.each(rows([
    ['semver.compare', ['1.0.0-alpha', '1.0.0-alpha.1'], '-1'],
    ['semver.compare', ['1.0.0-alpha.1', '1.0.0-alpha.beta'], '-1'],
    ['semver.compare', ['1.0.0-alpha.beta', '1.0.0-beta'], '-1'],
    ['semver.compare', ['1.0.0-beta.2', '1.0.0-beta.11'], '-1'],
    ['semver.compare', ['1.0.0-rc.1', '1.0.0'], '-1'],
    ['semver.compare', ['2.1.1', '2.1.0'], '1'],
    ['semver.compare', ['1.0.0+build.1', '1.0.0+build.2'], '0'],
    // Numeric pre-release identifiers compare as numbers however long they are.
    ['semver.compare', ['1.0.0-99999999999999999999', '1.0.0-1'], '1'],
    // Major, minor and patch are int64 in OPA: a larger number is not a version.
    ['semver.is_valid', ['9223372036854775807.0.0'], 'true'],
    ['semver.is_valid', ['9223372036854775808.0.0'], 'false'],
    ['semver.compare', ['9223372036854775808.0.0', '1.0.0'], 'eval_builtin_error: semver.compare: operand 1: string "9223372036854775808.0.0" is not a valid SemVer'],
    ['semver.is_valid', ['v1.0.0'], 'false'],
    ['semver.is_valid', ['1.0.0-a..b'], 'false'],
    ['semver.is_valid', [5], 'false'],
    ['semver.compare', [1, '1.0.0'], 'eval_type_error: semver.compare: operand 1 must be string but got number'],
  ]))('%s', (_label, name, args, want) => {
    expect(call(name, ...args)).toBe(want);
  });
});
