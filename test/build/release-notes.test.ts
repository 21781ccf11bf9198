import { describe, expect, it } from 'vitest';
import { formatReleaseNotes, releaseNotes, releaseNotesFrom } from '../../src/build/index.ts';

const c = (sha: string, message: string, parents: string[], pullRequest?: { number: number; title: string }) => ({ sha, message, parents, url: `https://github.com/acme/api/commit/${sha}`, ...(pullRequest && { pullRequest }) });

/** base ← b1 ← b2 (a PR branch), base ← m (merge of the branch) ← s (squash) ← d (direct) ← x (breaking). */
const COMPARISON = {
  totalCommits: 6,
  url: 'https://github.com/acme/api/compare/v1.4.0...v1.5.0',
  commits: [
    c('b1', 'wip: retries', ['base']),
    c('b2', 'retries: backoff', ['b1']),
    c('m', 'Merge pull request #7 from acme/retry\n\nfeat: retry failed payments', ['base', 'b2'], { number: 7, title: 'feat: retry failed payments' }),
    c('s', 'fix(api): round totals (#8)', ['m'], { number: 8, title: 'fix(api): round totals' }),
    c('d', 'docs: explain refunds', ['s']),
    c('x', 'feat!: drop v1 endpoints', ['d']),
  ],
};

describe('release notes', () => {
  it('groups the mainline by conventional-commit type, newest first, leaving out a PR\'s branch commits', () => {
    const notes = releaseNotesFrom(COMPARISON, 'v1.4.0', 'v1.5.0');

    expect(notes.features.map((i) => [i.title, i.pr, i.breaking])).toEqual([['drop v1 endpoints', undefined, true], ['retry failed payments', 7, undefined]]);
    expect(notes.fixes.map((i) => [i.title, i.pr])).toEqual([['api: round totals', 8]]);
    expect(notes.other.map((i) => i.title)).toEqual(['docs: explain refunds']);
  });

  it('formats for chat', () => {
    expect(formatReleaseNotes(releaseNotesFrom(COMPARISON, 'v1.4.0', 'v1.5.0'))).toBe([
      'Changes v1.4.0 → v1.5.0 (6 commits)',
      '✨ Features',
      '• ⚠️ drop v1 endpoints',
      '• retry failed payments (#7)',
      '🐛 Fixes',
      '• api: round totals (#8)',
      '🔧 Other',
      '• docs: explain refunds',
      'Compare: https://github.com/acme/api/compare/v1.4.0...v1.5.0',
    ].join('\n'));
  });

  it('trims to the item budget and links the rest, cutting long titles', () => {
    const many = Array.from({ length: 30 }, (_, i) => c(`f${i}`, `fix: ${'x'.repeat(i === 29 ? 200 : 5)} ${i}`, [i === 0 ? 'base' : `f${i - 1}`]));
    const text = formatReleaseNotes(releaseNotesFrom({ totalCommits: 30, url: 'U', commits: many }, 'a', 'b'), { maxItems: 3, maxTitle: 40 });

    expect(text.split('\n')).toEqual(['Changes a → b (30 commits)', '🐛 Fixes', `• ${'x'.repeat(39)}…`, '• xxxxx 28', '• xxxxx 27', '…and 27 more: U']);
  });

  it('says so when the two versions are the same code', () => {
    expect(formatReleaseNotes(releaseNotesFrom({ totalCommits: 0, url: 'U', commits: [] }, 'v1.5.0', 'v1.5.0-rc'))).toBe('⚠️ v1.5.0 → v1.5.0-rc is a downgrade. No new commits: v1.5.0-rc is the same code as v1.5.0.');
    expect(formatReleaseNotes(releaseNotesFrom({ totalCommits: 0, url: 'U', commits: [] }, 'v1.5.0-rc', 'v1.5.0'))).toBe('No new commits: v1.5.0 is the same code as v1.5.0-rc.');
  });
});

describe('release notes of a version older than the running one', () => {
  /** GitHub's compare lists only what `head` adds to `base`: going from v1.5.0 to v1.4.0 adds nothing. */
  const github = {
    asked: [] as string[],
    async compare(_repo: { owner: string; repo: string }, base: string, head: string) {
      this.asked.push(`${base}...${head}`);
      const url = `https://github.com/acme/api/compare/${base}...${head}`;
      return base === 'v1.4.0' && head === 'v1.5.0' ? { ...COMPARISON, url } : { totalCommits: 0, commits: [], url };
    },
  };

  it('asks the other way and says the deploy goes back, and what it takes out', async () => {
    const notes = await releaseNotes(github, { owner: 'acme', repo: 'api' }, 'v1.5.0', 'v1.4.0');

    expect(github.asked).toEqual(['v1.5.0...v1.4.0', 'v1.4.0...v1.5.0']);
    expect(notes).toMatchObject({ from: 'v1.5.0', to: 'v1.4.0', goesBack: true, totalCommits: 6, compareUrl: 'https://github.com/acme/api/compare/v1.4.0...v1.5.0' });
    expect(formatReleaseNotes(notes, { maxItems: 2 }).split('\n')).toEqual([
      '⚠️ v1.5.0 → v1.4.0 is a downgrade: going back to it takes out 6 commits',
      '✨ Features',
      '• ⚠️ drop v1 endpoints',
      '• retry failed payments (#7)',
      '…and 2 more: https://github.com/acme/api/compare/v1.4.0...v1.5.0',
    ]);
  });

  it('says "downgrade" plainly by SemVer, and "older" by history alone for versions without an order', () => {
    const back = { from: 'v1.5.3', to: 'v1.5.1', features: [], fixes: [], other: [], totalCommits: 2, compareUrl: 'U' };
    expect(formatReleaseNotes({ ...back, goesBack: true })).toBe('⚠️ v1.5.3 → v1.5.1 is a downgrade: going back to it takes out 2 commits, only merges of branches. Compare: U');
    // A lower version with commits of its own (a patch release of an older line): still a downgrade.
    expect(formatReleaseNotes(back).split('\n')[0]).toBe('⚠️ v1.5.3 → v1.5.1 is a downgrade. Changes v1.5.3 → v1.5.1 (2 commits), only merges of branches. Compare: U');
    expect(formatReleaseNotes({ ...back, totalCommits: 0 })).toBe('⚠️ v1.5.3 → v1.5.1 is a downgrade. No new commits: v1.5.1 is the same code as v1.5.3.');
    expect(formatReleaseNotes({ ...back, from: 'main-a1', to: 'main-b2', goesBack: true })).toBe('⏪ main-b2 is older than main-a1: going back to it takes out 2 commits, only merges of branches. Compare: U');
  });

  it('a newer version is one compare, as before', async () => {
    github.asked = [];
    const notes = await releaseNotes(github, { owner: 'acme', repo: 'api' }, 'v1.4.0', 'v1.5.0');

    expect(github.asked).toEqual(['v1.4.0...v1.5.0']);
    expect(notes.goesBack).toBeUndefined();
  });
});
