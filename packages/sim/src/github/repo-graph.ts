import { createHash } from 'node:crypto';
import { treeSha, type RepoTree } from './repo-tree.ts';

/** One entry of a seeded mainline history, oldest first. */
export type SimHistoryEntry =
  /** A commit made straight on the default branch (a squash merge is one of these, `… (#12)`). */
  | { kind: 'commit'; message: string; author?: string }
  /** A pull request merged with a merge commit: its branch commits, then `Merge pull request #n …`. */
  | { kind: 'merge'; number: number; title: string; branch: string; commits: string[]; author?: string }
  /** Tags the mainline commit made last. */
  | { kind: 'tag'; name: string };

export interface SimCommit {
  sha: string;
  message: string;
  author: string;
  date: string;
  parents: string[];
  /** Creation order, for listing commits oldest first. */
  seq: number;
  /** Git's committer when it differs from the author (`web-flow` for commits made through the web or API). */
  committer?: string;
}

/** What a new commit is made of; its sha is derived from all of it, so no two commits share one. */
export interface NewCommit {
  message: string;
  author: string;
  committer?: string;
  parents: string[];
  tree: RepoTree;
}

/** A repository's commits, their files and its refs, built from a seeded history. */
export class RepoGraph {
  readonly commits = new Map<string, SimCommit>();
  /** Commit sha → its files. Seeded history commits carry the seed's files from the first commit on. */
  readonly trees = new Map<string, RepoTree>();
  /** Tag name → commit sha, in creation order. */
  readonly tags = new Map<string, string>();
  readonly branches = new Map<string, string>();
  readonly #fullName: string;
  #seq = 0;
  #clock: number;
  readonly #seedTree: RepoTree;

  constructor(fullName: string, history: readonly SimHistoryEntry[], start = Date.parse('2026-01-05T09:00:00Z'), files: RepoTree = new Map()) {
    this.#fullName = fullName;
    this.#clock = start;
    this.#seedTree = files;
    let head = this.#commit('Initial commit', 'octocat', []);
    for (const entry of history) {
      switch (entry.kind) {
        case 'commit':
          head = this.#commit(entry.message, entry.author ?? 'octocat', [head]);
          break;
        case 'merge': {
          let tip = head;
          for (const message of entry.commits) tip = this.#commit(message, entry.author ?? 'octocat', [tip]);
          head = this.#commit(`Merge pull request #${entry.number} from ${this.#fullName.split('/')[0]}/${entry.branch}\n\n${entry.title}`, entry.author ?? 'octocat', [head, tip]);
          break;
        }
        case 'tag':
          this.tags.set(entry.name, head);
          break;
        default: {
          const never: never = entry;
          throw new Error(`unknown history entry ${JSON.stringify(never)}`);
        }
      }
    }
    this.branches.set('main', head);
  }

  #commit(message: string, author: string, parents: string[]): string {
    this.#clock += 3_600_000;
    const sha = createHash('sha1').update(`${this.#fullName}\n${parents.join(',')}\n${message}`).digest('hex');
    this.commits.set(sha, { sha, message, author, date: new Date(this.#clock).toISOString().replace('.000Z', 'Z'), parents, seq: this.#seq++ });
    this.trees.set(sha, this.#seedTree);
    return sha;
  }

  /** Records a commit made now (through the API) and answers its sha; refs are the caller's to move. */
  addCommit(commit: NewCommit, now: number = Date.now()): string {
    const date = new Date(Math.floor(now / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    const seq = this.#seq++;
    const sha = createHash('sha1')
      .update(`tree ${treeSha(commit.tree)}\n${commit.parents.map((p) => `parent ${p}\n`).join('')}author ${commit.author} ${date}\n#${seq}\n\n${commit.message}`)
      .digest('hex');
    this.commits.set(sha, { sha, message: commit.message, author: commit.author, date, parents: [...commit.parents], seq, ...(commit.committer !== undefined && { committer: commit.committer }) });
    this.trees.set(sha, commit.tree);
    return sha;
  }

  treeOf(sha: string): RepoTree {
    return this.trees.get(sha) ?? new Map();
  }

  /** The newest common ancestor of two commits, as `git merge-base` picks it for the histories the sim makes. */
  mergeBase(a: string, b: string): string | undefined {
    const ofB = this.ancestors(b);
    let best: SimCommit | undefined;
    for (const sha of this.ancestors(a)) {
      const c = this.commits.get(sha);
      if (c && ofB.has(sha) && (!best || c.seq > best.seq)) best = c;
    }
    return best?.sha;
  }

  /** A tag, branch or (full or abbreviated) sha to its commit. */
  resolve(ref: string): string | undefined {
    const name = ref.replace(/^refs\/(tags|heads)\//, '');
    const found = this.tags.get(name) ?? this.branches.get(name);
    if (found) return found;
    if (/^[0-9a-f]{7,40}$/.test(ref)) return [...this.commits.keys()].find((sha) => sha.startsWith(ref));
    return undefined;
  }

  ancestors(sha: string): Set<string> {
    const seen = new Set<string>();
    const todo = [sha];
    while (todo.length) {
      const s = todo.pop();
      if (s === undefined || seen.has(s)) continue;
      seen.add(s);
      todo.push(...(this.commits.get(s)?.parents ?? []));
    }
    return seen;
  }

  /** Commits in `head` but not in `base`, oldest first: what `git log base..head` shows, as GitHub's compare does. */
  between(base: string, head: string): SimCommit[] {
    const exclude = this.ancestors(base);
    return [...this.ancestors(head)].filter((s) => !exclude.has(s)).map((s) => this.commits.get(s) as SimCommit).sort((a, b) => a.seq - b.seq);
  }
}
