import semver from 'semver';

/**
 * How a requested version relates to the one running, as the policy sees it (`input.versions.comparison`):
 * `upgrade`, `downgrade` or `same` by SemVer precedence (build metadata ignored); `prerelease` when the requested
 * version is a pre-release (`v1.6.0-rc.1`) that is neither older than nor the same as what runs (nothing running
 * included); `unknown` when either side is not SemVer or nothing runs yet. A downgrade stays `downgrade` even to a
 * pre-release: going back is the graver fact, and `prerelease` is also told apart by `isPrerelease`.
 */
export type VersionComparison = 'upgrade' | 'downgrade' | 'same' | 'prerelease' | 'unknown';

/**
 * A version as SemVer, tolerating the `v` prefix tags usually carry (`v1.5.0` and `1.5.0` are the same version).
 * Undefined for anything else (`latest`, a commit sha, `2024-05-01`): such versions have no order.
 */
function parseVersion(version: string): semver.SemVer | undefined {
  return semver.parse(version.trim(), { loose: false }) ?? undefined;
}

/** Whether a version is a SemVer pre-release (`v1.6.0-rc.1`); false for one that is not SemVer at all. */
export function isPrerelease(version: string): boolean {
  return (parseVersion(version)?.prerelease.length ?? 0) > 0;
}

/** The one place Deckhand orders versions: the policy input, the card and the release notes all ask here. */
export function compareVersions(running: string | undefined, requested: string | undefined): VersionComparison {
  const to = requested === undefined ? undefined : parseVersion(requested);
  if (!to) return 'unknown';
  const from = running === undefined ? undefined : parseVersion(running);
  if (!from) return to.prerelease.length > 0 && running === undefined ? 'prerelease' : 'unknown';
  const order = semver.compare(to, from);
  if (order < 0) return 'downgrade';
  if (order === 0) return 'same';
  return to.prerelease.length > 0 ? 'prerelease' : 'upgrade';
}

/** `⚠️ v1.5.3 → v1.5.1 is a downgrade`, for cards and release notes; undefined when it is not one. */
export function downgradeWarning(running: string | undefined, requested: string | undefined): string | undefined {
  return running !== undefined && requested !== undefined && compareVersions(running, requested) === 'downgrade'
    ? `⚠️ ${running} → ${requested} is a downgrade`
    : undefined;
}
