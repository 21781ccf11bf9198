import { parse } from 'yaml';
import type { KubeObject } from '../kube-types.ts';
import { isPlainObject } from '../kube-types.ts';
import { formatImageReference, parseImageReference } from './image-reference.ts';
import { parseManifests } from './parse-manifests.ts';
import { containerListsOf } from './pod-templates.ts';
import { isDirectory, joinRepoPath, type RenderResult, type RepoFiles } from './render-result.ts';

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/**
 * The fields of a kustomization the sim renders. Anything else (patches, generators, name prefixes, helm charts,
 * components …) is refused with an error naming it rather than silently ignored: a config repository the sim
 * cannot render faithfully must not look synced.
 */
const SUPPORTED = new Set(['apiVersion', 'kind', 'resources', 'bases', 'images', 'namespace', 'replicas', 'commonAnnotations']);
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PersistentVolume', 'StorageClass']);

export function findKustomization(files: RepoFiles, dir: string): string | undefined {
  return KUSTOMIZATION_FILES.map((name) => (dir === '' ? name : `${dir}/${name}`)).find((path) => files.has(path));
}

/** `kustomize build <dir>` for the subset above: resources (files and nested kustomizations), then images, replicas, namespace. */
export function renderKustomize(files: RepoFiles, dir: string): RenderResult {
  const built = build(files, dir, 0);
  return built.ok ? { ok: true, sourceType: 'Kustomize', manifests: built.manifests } : built;
}

type Built = { ok: true; manifests: KubeObject[] } | { ok: false; message: string };

function build(files: RepoFiles, dir: string, depth: number): Built {
  if (depth > 10) return { ok: false, message: `kustomize: resources nest too deeply under ${dir}` };
  const path = findKustomization(files, dir);
  if (!path) return { ok: false, message: `unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '${dir}'` };
  let k: unknown;
  try {
    k = parse(files.get(path) ?? '');
  } catch (err) {
    return { ok: false, message: `failed to unmarshal "${path}": ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` };
  }
  if (!isPlainObject(k)) return { ok: false, message: `"${path}" is not a kustomization` };
  const unsupported = Object.keys(k).filter((key) => !SUPPORTED.has(key));
  if (unsupported.length > 0) return { ok: false, message: `kustomize: ${unsupported.join(', ')} in "${path}" is not simulated` };

  const manifests: KubeObject[] = [];
  for (const entry of [...list(k.resources), ...list(k.bases)]) {
    if (typeof entry !== 'string') return { ok: false, message: `"${path}": a resource must be a path` };
    if (/^[a-z]+:\/\//.test(entry) || entry.includes('?ref=')) return { ok: false, message: `kustomize: remote resource ${entry} is not simulated` };
    const target = joinRepoPath(dir, entry);
    if (target === undefined) return { ok: false, message: `kustomize: ${entry} is outside the repository` };
    if (files.has(target)) {
      const parsed = parseManifests(target, files.get(target) ?? '');
      if (!parsed.ok) return parsed;
      manifests.push(...parsed.objects);
    } else if (isDirectory(files, target)) {
      const nested = build(files, target, depth + 1);
      if (!nested.ok) return nested;
      manifests.push(...nested.manifests);
    } else {
      return { ok: false, message: `accumulating resources: accumulation err='accumulating resources from '${entry}': evalsymlink failure on '${target}' : lstat ${target}: no such file or directory'` };
    }
  }
  const images = applyImages(manifests, list(k.images));
  if (!images.ok) return images;
  applyReplicas(manifests, list(k.replicas));
  for (const obj of manifests) {
    if (typeof k.namespace === 'string' && !CLUSTER_SCOPED.has(obj.kind ?? '')) obj.metadata.namespace = k.namespace;
    if (isPlainObject(k.commonAnnotations)) obj.metadata.annotations = { ...obj.metadata.annotations, ...stringRecord(k.commonAnnotations) };
  }
  return { ok: true, manifests };
}

/** kustomize's image transformer: `name` matches an image's name without tag or digest. */
function applyImages(manifests: KubeObject[], entries: unknown[]): Built {
  for (const entry of entries) {
    if (!isPlainObject(entry) || typeof entry.name !== 'string') return { ok: false, message: 'kustomize: an images entry needs a name' };
    const { name } = entry;
    const newName = typeof entry.newName === 'string' ? entry.newName : undefined;
    const newTag = typeof entry.newTag === 'string' || typeof entry.newTag === 'number' ? String(entry.newTag) : undefined;
    const digest = typeof entry.digest === 'string' ? entry.digest : undefined;
    for (const obj of manifests) {
      for (const containers of containerListsOf(obj)) {
        for (const c of containers) {
          if (typeof c.image !== 'string') continue;
          const ref = parseImageReference(c.image);
          if (ref.name !== name) continue;
          c.image = formatImageReference({
            name: newName ?? ref.name,
            ...(digest === undefined && (newTag ?? ref.tag) !== undefined && { tag: newTag ?? ref.tag }),
            ...(digest !== undefined ? { digest } : ref.digest !== undefined && newTag === undefined ? { digest: ref.digest } : {}),
          });
        }
      }
    }
  }
  return { ok: true, manifests };
}

function applyReplicas(manifests: KubeObject[], entries: unknown[]): void {
  for (const entry of entries) {
    if (!isPlainObject(entry) || typeof entry.name !== 'string' || typeof entry.count !== 'number') continue;
    for (const obj of manifests) {
      if (obj.metadata.name === entry.name && isPlainObject(obj.spec) && ['Deployment', 'ReplicaSet', 'StatefulSet', 'Rollout'].includes(obj.kind ?? '')) obj.spec.replicas = entry.count;
    }
  }
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function stringRecord(value: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}
