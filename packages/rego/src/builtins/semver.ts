/** semver.is_valid and semver.compare: v1/topdown/semver.go (SemVer 2.0.0, no leading "v"). */
import { define } from './operands.ts';
import type { Builtin } from './types.ts';

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

interface Version { core: [bigint, bigint, bigint]; pre: string[] }

const INT64_MAX = 2n ** 63n - 1n;

function parseVersion(s: string): Version | undefined {
  const m = SEMVER.exec(s);
  if (!m) return undefined;
  const core: [bigint, bigint, bigint] = [BigInt(m[1]!), BigInt(m[2]!), BigInt(m[3]!)];
  // OPA's internal/semver reads major, minor and patch with strconv.ParseInt(…, 64): larger is invalid.
  if (core.some((n) => n > INT64_MAX)) return undefined;
  return { core, pre: m[4] ? m[4].split('.') : [] };
}

function cmp<T>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function comparePre(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return b.length - a.length === 0 ? 0 : a.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!, y = b[i]!;
    const xn = /^\d+$/.test(x), yn = /^\d+$/.test(y);
    const c = xn && yn ? cmp(BigInt(x), BigInt(y)) : xn ? -1 : yn ? 1 : cmp(x, y);
    if (c !== 0) return c;
  }
  return cmp(a.length, b.length);
}

export function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) {
    const c = cmp(a.core[i]!, b.core[i]!);
    if (c !== 0) return c;
  }
  return comparePre(a.pre, b.pre);
}

export const semverBuiltins: readonly Builtin[] = [
  define('semver.is_valid', 1, (a) => {
    const v = a.at(1);
    return typeof v === 'string' && parseVersion(v) !== undefined;
  }),
  define('semver.compare', 2, (a) => {
    const s1 = a.string(1), s2 = a.string(2);
    const v1 = parseVersion(s1);
    if (!v1) throw a.fail(`operand 1: string ${JSON.stringify(s1)} is not a valid SemVer`);
    const v2 = parseVersion(s2);
    if (!v2) throw a.fail(`operand 2: string ${JSON.stringify(s2)} is not a valid SemVer`);
    return compareVersions(v1, v2);
  }),
];
