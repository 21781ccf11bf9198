import { createHash } from 'node:crypto';

/** The files of one commit: path (no leading slash) → bytes. Trees are never mutated once a commit holds them. */
export type RepoTree = ReadonlyMap<string, Buffer>;

/** A change to one path: new bytes, or null to delete it. */
export type TreeChanges = ReadonlyMap<string, Buffer | null>;

/** Git's blob id: sha1 of `blob <length>\0<bytes>` — what GitHub calls a file's `sha`, and what PUT contents checks. */
export function blobSha(bytes: Buffer): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** A stable id for a whole tree (not git's tree object format, which clients never recompute). */
export function treeSha(tree: RepoTree): string {
  const hash = createHash('sha1');
  for (const path of [...tree.keys()].sort()) hash.update(`${path}\0${blobSha(tree.get(path) ?? Buffer.alloc(0))}\n`);
  return hash.digest('hex');
}

export function applyChanges(tree: RepoTree, changes: TreeChanges): RepoTree {
  const next = new Map(tree);
  for (const [path, bytes] of changes) {
    if (bytes === null) next.delete(path);
    else next.set(path, bytes);
  }
  return next;
}

export interface FileChange {
  path: string;
  status: 'added' | 'modified' | 'removed';
  before?: Buffer;
  after?: Buffer;
}

/** What changed from `before` to `after`, path order. */
export function diffTrees(before: RepoTree, after: RepoTree): FileChange[] {
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  const changes: FileChange[] = [];
  for (const path of paths) {
    const a = before.get(path);
    const b = after.get(path);
    if (a && b) {
      if (!a.equals(b)) changes.push({ path, status: 'modified', before: a, after: b });
    } else if (b) changes.push({ path, status: 'added', after: b });
    else if (a) changes.push({ path, status: 'removed', before: a });
  }
  return changes;
}

export type MergeResult = { ok: true; tree: RepoTree } | { ok: false; conflicts: string[] };

/**
 * A three-way merge at file granularity: a path changed on one side only takes that side; a path both sides
 * changed differently is a conflict. Stricter than git's line merge on purpose: two edits of one config file
 * since the sides diverged is exactly the race a deploy bot must notice.
 */
export function mergeTrees(base: RepoTree, ours: RepoTree, theirs: RepoTree): MergeResult {
  const merged = new Map<string, Buffer>();
  const conflicts: string[] = [];
  for (const path of new Set([...base.keys(), ...ours.keys(), ...theirs.keys()])) {
    const b = base.get(path);
    const o = ours.get(path);
    const t = theirs.get(path);
    const pick = same(o, t) || same(t, b) ? o : same(o, b) ? t : 'conflict';
    if (pick === 'conflict') conflicts.push(path);
    else if (pick) merged.set(path, pick);
  }
  return conflicts.length > 0 ? { ok: false, conflicts: conflicts.sort() } : { ok: true, tree: merged };
}

function same(a: Buffer | undefined, b: Buffer | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.equals(b));
}

export interface DirEntry {
  name: string;
  path: string;
  type: 'file' | 'dir';
  bytes?: Buffer;
}

/** The direct children of a directory (`''` is the root), or undefined when no file lies under it. */
export function listDirectory(tree: RepoTree, dir: string): DirEntry[] | undefined {
  const prefix = dir === '' ? '' : `${dir}/`;
  const entries = new Map<string, DirEntry>();
  for (const [path, bytes] of tree) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length);
    const [name = '', ...deeper] = rest.split('/');
    if (deeper.length === 0) entries.set(name, { name, path, type: 'file', bytes });
    else if (!entries.has(name)) entries.set(name, { name, path: `${prefix}${name}`, type: 'dir' });
  }
  if (entries.size === 0 && dir !== '') return undefined;
  return [...entries.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
