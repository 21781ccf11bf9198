import type { ResourceRegistry, ResourceType } from './resource-registry.ts';
import { groupVersion } from './resource-registry.ts';

/**
 * A skeleton OpenAPI v3: per group version, the resource paths with their PATCH operation tagged by
 * `x-kubernetes-group-version-kind` and a `fieldValidation` query parameter. That is what kubectl's
 * QueryParamVerifierV3 looks for before `create`/`replace`/`apply`; finding it, kubectl leaves validation to the
 * server (`fieldValidation=Strict`) instead of downloading schemas. No component schemas are served, so
 * `kubectl explain` is not supported.
 */
export function openApiV3Root(registry: ResourceRegistry): Record<string, unknown> {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of registry.groupVersions()) {
    const path = gv.includes('/') ? `apis/${gv}` : `api/${gv}`;
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hashOf(gv)}` };
  }
  return { paths };
}

export function openApiV3GroupVersion(registry: ResourceRegistry, path: string): Record<string, unknown> | undefined {
  const gv = path.startsWith('apis/') ? path.slice('apis/'.length) : path.startsWith('api/') ? path.slice('api/'.length) : undefined;
  if (gv === undefined) return undefined;
  const types = registry.resourcesIn(gv);
  if (types.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  for (const type of types) paths[objectPath(type)] = pathItem(type);
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths, components: { schemas: {} } };
}

function objectPath(type: ResourceType): string {
  const prefix = type.group === '' ? `/api/${type.version}` : `/apis/${groupVersion(type)}`;
  return type.namespaced ? `${prefix}/namespaces/{namespace}/${type.resource}/{name}` : `${prefix}/${type.resource}/{name}`;
}

function pathItem(type: ResourceType): Record<string, unknown> {
  const gvk = { group: type.group, version: type.version, kind: type.kind };
  const query = (name: string) => ({ name, in: 'query', schema: { type: 'string', uniqueItems: true } });
  const operation = (action: string) => ({
    operationId: `${action}${type.kind}`,
    parameters: [query('dryRun'), query('fieldManager'), query('fieldValidation')],
    responses: { '200': { description: 'OK' } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
  });
  return { get: operation('get'), put: operation('put'), patch: operation('patch'), delete: operation('delete') };
}

function hashOf(text: string): string {
  let hash = 0;
  for (const ch of text) hash = (Math.imul(hash, 31) + ch.charCodeAt(0)) >>> 0;
  return hash.toString(16).toUpperCase().padStart(16, '0');
}
