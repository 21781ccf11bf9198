import type { KubeObject } from '../kube-types.ts';
import { parseManifests } from './parse-manifests.ts';
import type { RenderResult, RepoFiles } from './render-result.ts';

const MANIFEST_FILE = /\.(ya?ml|json)$/;

/**
 * A plain directory of manifests (Argo CD's Directory source type): every `.yaml`, `.yml` and `.json` file in it,
 * in path order — with `recurse`, in its subdirectories too.
 */
export function renderDirectory(files: RepoFiles, dir: string, o: { recurse: boolean }): RenderResult {
  const prefix = dir === '' ? '' : `${dir}/`;
  const paths = [...files.keys()].filter((p) => p.startsWith(prefix) && MANIFEST_FILE.test(p) && (o.recurse || !p.slice(prefix.length).includes('/'))).sort();
  const manifests: KubeObject[] = [];
  for (const path of paths) {
    const parsed = parseManifests(path, files.get(path) ?? '');
    if (!parsed.ok) return parsed;
    manifests.push(...parsed.objects);
  }
  return { ok: true, sourceType: 'Directory', manifests };
}
