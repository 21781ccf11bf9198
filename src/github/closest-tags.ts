import { editDistance, typoThreshold } from '../../commands/grammar/closest-match.ts';

const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/i;

function semverOf(tag: string): [number, number, number] | undefined {
  const m = SEMVER.exec(tag);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** How far apart two versions are in version order (major over minor over patch); Infinity when either is not semver. */
function versionGap(a: string, b: string): number {
  const x = semverOf(a);
  const y = semverOf(b);
  if (!x || !y) return Infinity;
  const key = (v: [number, number, number]): number => v[0] * 1e8 + v[1] * 1e4 + v[2];
  return Math.abs(key(x) - key(y));
}

/** `v1.5.0` and `1.5.0` name the same version to a person; compare them without the prefix. */
function bare(tag: string): string {
  return tag.replace(/^v(?=\d)/i, '').toLowerCase();
}

/**
 * The tags a person most likely meant by `wanted`, best first: small edit distances (typos such as `v1.50` or a
 * missing `v`), ties broken by the nearest version, then the nearest versions. When `wanted` is a version that no tag resembles closely
 * (`v1.9.0` when the newest is `v1.5.1`), the nearest versions are offered instead.
 */
export function closestTags(wanted: string, tags: readonly string[], max = 3): string[] {
  const target = bare(wanted);
  // For a version, only a one-edit slip is a typo (`v1.5.3` for `v1.5.2`); `v3.0.0` is not a typo of `v1.3.0`
  // even if two edits apart, and is better answered with the nearest versions.
  const limit = semverOf(wanted) ? 1 : typoThreshold(target.length);
  const scored = tags
    .map((tag) => ({ tag, distance: editDistance(target, bare(tag), limit), gap: versionGap(wanted, tag) }))
    .filter((s) => s.tag !== wanted);
  const close = scored.filter((s) => s.distance <= limit)
    .sort((a, b) => a.distance - b.distance || a.gap - b.gap || a.tag.localeCompare(b.tag));
  const near = scored.filter((s) => s.distance > limit && Number.isFinite(s.gap))
    .sort((a, b) => a.gap - b.gap || a.tag.localeCompare(b.tag));
  return [...close, ...near].slice(0, max).map((s) => s.tag);
}
