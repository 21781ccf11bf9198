import { isPlainObject } from '../kube-types.ts';
import type { ApplicationSpec } from './application-spec.ts';
import { renderDirectory } from './render-directory.ts';
import { renderHelm } from './render-helm.ts';
import { findKustomization, renderKustomize } from './render-kustomize.ts';
import { isDirectory, normalizeRepoPath, type RenderResult, type RepoFiles } from './render-result.ts';

/**
 * The repo server's manifest generation for one Application source at a checked-out commit. The source type is
 * discovered as Argo CD does: a `Chart.yaml` makes it Helm, a kustomization Kustomize, anything else a plain
 * Directory. Failures read like the repo server's, since they end up in a ComparisonError.
 */
export function renderSource(files: RepoFiles, spec: ApplicationSpec, appName: string): RenderResult {
  const result = generate(files, spec, appName);
  if (result.ok) return result;
  return { ok: false, message: `Failed to load target state: failed to generate manifest for source 1 of 1: rpc error: code = Unknown desc = ${result.message}` };
}

function generate(files: RepoFiles, spec: ApplicationSpec, appName: string): RenderResult {
  const { source } = spec;
  if (source.chart !== undefined) return { ok: false, message: `helm chart repositories (chart ${source.chart}) are not simulated: point the source at a chart directory in git` };
  const path = normalizeRepoPath(source.path ?? '');
  if (path === undefined) return { ok: false, message: `${source.path ?? ''}: app path is outside the repository` };
  if (!isDirectory(files, path)) return { ok: false, message: `${path}: app path does not exist` };
  if (files.has(`${path === '' ? '' : `${path}/`}Chart.yaml`)) {
    const helm = source.helm ?? {};
    return renderHelm(files, path, {
      releaseName: helm.releaseName ?? appName,
      namespace: helm.namespace ?? spec.destination.namespace ?? 'default',
      valueFiles: helm.valueFiles ?? [],
      ignoreMissingValueFiles: helm.ignoreMissingValueFiles ?? false,
      ...(helm.values !== undefined && { values: helm.values }),
      ...(isPlainObject(helm.valuesObject) && { valuesObject: helm.valuesObject }),
      parameters: (helm.parameters ?? []).map((p) => ({ name: p.name ?? '', value: p.value ?? '', forceString: p.forceString ?? false })),
    });
  }
  if (findKustomization(files, path)) return renderKustomize(files, path);
  return renderDirectory(files, path, { recurse: source.directory?.recurse ?? false });
}
