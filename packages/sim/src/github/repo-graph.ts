import { createHash } from 'node:crypto';

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
}

/** A repository's commits and refs, built from a seeded history. */
export class RepoGraph {
  readonly commits = new Map<string, SimCommit>();
  /** Tag name → commit sha, in creation order. */
  readonly tags = new Map<string, string>();
  readonly branches = new Map<string, string>();
  readonly #fullName: string;
  #seq = 0;
  #clock: number;

  constructor(fullName: string, history: readonly SimHistoryEntry[], start = Date.parse('2026-01-05T09:00:00Z')) {
    this.#fullName = fullName;
    this.#clock = start;
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
    return sha;
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
      const s = todo.pop() as string;
      if (seen.has(s)) continue;
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
