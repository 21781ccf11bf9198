import type { ResourceRegistry, ResourceType } from './resource-registry.ts';

/** What a resource URL addresses: `/apis/apps/v1/namespaces/prod/deployments/api/scale` and friends. */
export interface ResourceTarget {
  type: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/**
 * Parses an API path into a target, or undefined when it is not a resource path the registry knows
 * (the caller answers 404). Handles the one ambiguity of the URL scheme: `/api/v1/namespaces/x/status` is the
 * namespace's status subresource, not a resource called `status`.
 */
export function parseResourceTarget(registry: ResourceRegistry, pathname: string): ResourceTarget | undefined {
  const segments = pathname.split('/').filter((s) => s !== '').map(decodeURIComponent);
  let gv: string;
  let rest: string[];
  if (segments[0] === 'api' && segments.length >= 2) {
    gv = segments[1] ?? '';
    rest = segments.slice(2);
  } else if (segments[0] === 'apis' && segments.length >= 3) {
    gv = `${segments[1]}/${segments[2]}`;
    rest = segments.slice(3);
  } else {
    return undefined;
  }
  if (rest.length === 0) return undefined;

  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const namespaced = registry.lookup(gv, rest[2] ?? '');
    if (namespaced?.namespaced) {
      if (rest.length > 5) return undefined;
      return { type: namespaced, namespace: rest[1], name: rest[3], subresource: rest[4] };
    }
    const namespaceType = registry.lookup(gv, 'namespaces');
    if (namespaceType && rest.length === 3) return { type: namespaceType, name: rest[1], subresource: rest[2] };
    return undefined;
  }
  const type = registry.lookup(gv, rest[0] ?? '');
  if (!type || rest.length > 3) return undefined;
  return { type, name: rest[1], subresource: rest[2] };
}
