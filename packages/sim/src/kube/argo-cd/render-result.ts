import type { KubeObject } from '../kube-types.ts';

/** How Argo CD's repo server classified the source directory (`status.sourceType`). */
export type SourceType = 'Kustomize' | 'Helm' | 'Directory';

/** Manifests generated from one source, or why they could not be (becomes a ComparisonError). */
export type RenderResult =
  | { ok: true; sourceType: SourceType; manifests: KubeObject[] }
  | { ok: false; message: string };

/** A repository checked out at one commit: path → text. */
export type RepoFiles = ReadonlyMap<string, string>;

export const renderFailure = (message: string): RenderResult => ({ ok: false, message });

/** `a/b/../c` → `a/c`; undefined when the path climbs out of the repository (Argo CD refuses those too). */
export function normalizeRepoPath(path: string): string | undefined {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(part);
  }
  return out.join('/');
}

export function joinRepoPath(dir: string, relative: string): string | undefined {
  return normalizeRepoPath(dir === '' ? relative : `${dir}/${relative}`);
}

/** Whether any file lies in `dir` (directly or deeper). */
export function isDirectory(files: RepoFiles, dir: string): boolean {
  if (dir === '') return files.size > 0;
  for (const path of files.keys()) if (path.startsWith(`${dir}/`)) return true;
  return false;
}
