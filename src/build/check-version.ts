import { repoRefOf, type BuildGitHub } from './ports.ts';

export type VersionCheck = { kind: 'tag' } | { kind: 'missing'; suggestions: string[]; message: string };

/**
 * Whether `version` is a tag of the repository, with the closest tags when it is not: for refusing a deploy of
 * a typo when it is asked for, before approvals, with "did you mean". An expected outcome, so a value.
 */
export async function checkVersion(github: Pick<BuildGitHub, 'tagExists' | 'closestTags'>, repository: string, version: string): Promise<VersionCheck> {
  const repo = repoRefOf(repository);
  if (await github.tagExists(repo, version)) return { kind: 'tag' };
  const suggestions = await github.closestTags(repo, version, 3);
  const hint = suggestions.length ? ` Did you mean ${suggestions.map((v) => `\`${v}\``).join(', ')}?` : '';
  return { kind: 'missing', suggestions, message: `${version} is not a tag of ${repository}.${hint}` };
}
