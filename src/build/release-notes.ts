import { downgradeWarning, type ReleaseNoteItem, type ReleaseNotes } from '../deploy/index.ts';
import type { CompareGitHub, RepoRef } from './ports.ts';

type Comparison = Awaited<ReturnType<CompareGitHub['compare']>>;

const CONVENTIONAL = /^(\w+)(?:\(([^)]*)\))?(!)?:\s*(.+)$/;

/** A mainline commit as a note: the PR title for a merge or squash merge, else the subject line. */
function itemOf(c: Comparison['commits'][number]): ReleaseNoteItem | undefined {
  const subject = c.message.split('\n')[0]?.trim() ?? '';
  if (c.pullRequest) return { title: c.pullRequest.title, pr: c.pullRequest.number, ...(c.pullRequest.marker === '!' && { prMarker: '!' as const }), sha: c.sha, url: c.url };
  // Syncing a branch with main is not a change worth telling.
  if (/^Merge (branch|remote-tracking branch) /.test(subject)) return undefined;
  return { title: subject, sha: c.sha, url: c.url };
}

/**
 * The first-parent history from `head` back through the compared commits: the commits that landed on the main
 * branch. A merged PR's own branch commits ("wip: retries") are left out; its merge commit speaks for them.
 */
function mainline(commits: Comparison['commits']): Comparison['commits'] {
  const bySha = new Map(commits.map((c) => [c.sha, c]));
  const out: Comparison['commits'] = [];
  let cur = commits.at(-1);
  while (cur) {
    out.push(cur);
    const parent = cur.parents[0];
    cur = parent === undefined ? undefined : bySha.get(parent);
  }
  return out;
}

/** Groups a comparison's mainline by conventional-commit type, newest first: feat, fix, everything else. */
export function releaseNotesFrom(comparison: Comparison, from: string, to: string): ReleaseNotes {
  const notes: ReleaseNotes = { from, to, features: [], fixes: [], other: [], totalCommits: comparison.totalCommits, compareUrl: comparison.url };
  for (const c of mainline(comparison.commits)) {
    const item = itemOf(c);
    if (!item) continue;
    const m = CONVENTIONAL.exec(item.title);
    const type = m?.[1]?.toLowerCase();
    // Under a Features or Fixes heading the type says nothing more; under Other it does (`docs: …`).
    const grouped = type === 'feat' || type === 'fix';
    const titled: ReleaseNoteItem = m && grouped ? { ...item, title: `${m[2] ? `${m[2]}: ` : ''}${m[4] ?? ''}` } : item;
    if (m?.[3]) titled.breaking = true;
    if (type === 'feat') notes.features.push(titled);
    else if (type === 'fix') notes.fixes.push(titled);
    else notes.other.push(titled);
  }
  return notes;
}

/**
 * Release notes between two refs of a repository, from GitHub's compare API. The compare lists only what `to` adds;
 * when that is nothing, `to` may be older (going back to a version that ran before), so the other direction is
 * asked for what the deploy takes out.
 */
export async function releaseNotes(github: CompareGitHub, repo: RepoRef, from: string, to: string): Promise<ReleaseNotes> {
  const forward = await github.compare(repo, from, to);
  if (forward.totalCommits > 0) return releaseNotesFrom(forward, from, to);
  const backward = await github.compare(repo, to, from);
  if (backward.totalCommits === 0) return releaseNotesFrom(forward, from, to);
  return { ...releaseNotesFrom(backward, from, to), goesBack: true };
}

const commits = (n: number): string => `${n} commit${n === 1 ? '' : 's'}`;

export interface FormatOptions {
  /** Items shown in all; the rest is counted and linked. Chat cards stay readable at ~8. */
  maxItems?: number;
  /** Titles longer than this are cut with an ellipsis. */
  maxTitle?: number;
}

/**
 * Release notes as chat text (markdown that Slack, Discord and the console all read): a heading, up to
 * `maxItems` lines grouped features → fixes → other, and the compare link for the rest.
 */
export function formatReleaseNotes(notes: ReleaseNotes, o: FormatOptions = {}): string {
  const maxItems = o.maxItems ?? 8;
  const maxTitle = o.maxTitle ?? 90;
  const groups: [string, ReleaseNoteItem[]][] = [['✨ Features', notes.features], ['🐛 Fixes', notes.fixes], ['🔧 Other', notes.other]];
  const total = notes.features.length + notes.fixes.length + notes.other.length;
  // By SemVer, said plainly whatever the history says (`⚠️ v1.5.3 → v1.5.1 is a downgrade`).
  const downgrade = downgradeWarning(notes.from, notes.to);
  if (notes.totalCommits === 0) return `${downgrade ? `${downgrade}. ` : ''}No new commits: ${notes.to} is the same code as ${notes.from}.`;
  const headline = notes.goesBack
    ? `${downgrade ?? `⏪ ${notes.to} is older than ${notes.from}`}: going back to it takes out ${commits(notes.totalCommits)}`
    : `${downgrade ? `${downgrade}. ` : ''}Changes ${notes.from} → ${notes.to} (${commits(notes.totalCommits)})`;
  if (total === 0) return `${headline}, only merges of branches. Compare: ${notes.compareUrl}`;
  const lines = [headline];
  let shown = 0;
  for (const [heading, items] of groups) {
    const room = maxItems - shown;
    if (items.length === 0 || room <= 0) continue;
    lines.push(heading);
    for (const item of items.slice(0, room)) {
      const title = item.title.length > maxTitle ? `${item.title.slice(0, maxTitle - 1)}…` : item.title;
      lines.push(`• ${item.breaking ? '⚠️ ' : ''}${title}${item.pr !== undefined ? ` (${item.prMarker ?? '#'}${item.pr})` : ''}`);
      shown++;
    }
  }
  const more = total - shown;
  lines.push(more > 0 ? `…and ${more} more: ${notes.compareUrl}` : `Compare: ${notes.compareUrl}`);
  return lines.join('\n');
}
