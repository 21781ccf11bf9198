import { describe, expect, it } from 'vitest';
import { closestTags } from '../../src/github/index.ts';

const API = ['v1.6.0', 'v1.5.2', 'v1.5.1', 'v1.5.0', 'v1.4.0', 'v1.3.0'];

describe('closestTags', () => {
  it.each([
    ['a patch that does not exist', 'v1.5.3', API, ['v1.5.2', 'v1.5.1', 'v1.5.0']],
    ['a missing v', '1.5.0', API, ['v1.5.0', 'v1.5.1', 'v1.5.2']],
    ['an extra v', 'v2.3.0', ['2.2.0', '2.3.0', '2.4.0'], ['2.3.0', '2.2.0', '2.4.0']],
    ['a dropped dot', 'v1.50', API, ['v1.5.0']],
    ['a version beyond the newest', 'v3.0.0', API, ['v1.6.0', 'v1.5.2', 'v1.5.1']],
    ['a transposition in a non-version tag', 'relaese-7', ['release-7', 'release-6', 'nightly'], ['release-7', 'release-6']],
    ['nothing alike', 'banana', ['release-7', 'nightly'], []],
  ])('%s: %s', (_what, wanted, tags, expected) => {
    expect(closestTags(wanted, tags, 3)).toEqual(expected);
  });

  it('never suggests the wanted tag itself', () => {
    expect(closestTags('v1.5.0', API, 2)).toEqual(['v1.5.1', 'v1.5.2']);
  });
});
