import { describe, expect, it } from 'vitest';
import { compareVersions, downgradeWarning, isPrerelease, type VersionComparison } from '../../src/deploy/index.ts';

describe('compareVersions: how a requested version relates to the running one, by SemVer', () => {
  it.each<[string | undefined, string | undefined, VersionComparison]>([
    ['v1.4.0', 'v1.5.0', 'upgrade'],
    ['v1.5.3', 'v1.5.1', 'downgrade'],
    ['v1.5.0', 'v1.5.0', 'same'],
    // The `v` prefix is tolerated on either side, and build metadata has no precedence.
    ['1.5.0', 'v1.5.0', 'same'],
    ['v1.5.0+build.7', 'v1.5.0+build.9', 'same'],
    ['v1.9.0', 'v1.10.0', 'upgrade'],
    ['v2.0.0', 'v1.99.99', 'downgrade'],
    // Pre-releases: an upgrade to one reads `prerelease`; one older than what runs is still a downgrade.
    ['v1.5.0', 'v1.6.0-rc.1', 'prerelease'],
    ['v1.6.0-rc.1', 'v1.6.0-rc.2', 'prerelease'],
    ['v1.6.0', 'v1.6.0-rc.1', 'downgrade'],
    ['v1.6.0-rc.2', 'v1.6.0-rc.1', 'downgrade'],
    ['v1.6.0-rc.1', 'v1.6.0', 'upgrade'],
    [undefined, 'v1.6.0-rc.1', 'prerelease'],
    // Nothing to order against, or not SemVer.
    [undefined, 'v1.5.0', 'unknown'],
    ['latest', 'v1.5.0', 'unknown'],
    ['v1.5.0', 'main-3f2a9c1', 'unknown'],
    ['v1.5', 'v1.6', 'unknown'],
    ['v1.5.0', undefined, 'unknown'],
  ])('%s → %s is %s', (running, requested, expected) => {
    expect(compareVersions(running, requested)).toBe(expected);
  });

  it.each([['v1.6.0-rc.1', true], ['2.5.0-beta', true], ['v1.6.0', false], ['v1.6.0+build.1', false], ['nightly', false]])('isPrerelease(%s) is %s', (v, expected) => {
    expect(isPrerelease(v as string)).toBe(expected);
  });

  it('says a downgrade plainly, and nothing otherwise', () => {
    expect(downgradeWarning('v1.5.3', 'v1.5.1')).toBe('⚠️ v1.5.3 → v1.5.1 is a downgrade');
    expect(downgradeWarning('v1.5.1', 'v1.5.3')).toBeUndefined();
    expect(downgradeWarning(undefined, 'v1.5.1')).toBeUndefined();
    expect(downgradeWarning('latest', 'v1.5.1')).toBeUndefined();
  });
});
