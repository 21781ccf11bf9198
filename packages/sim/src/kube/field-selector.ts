import { badRequest } from './api-error.ts';
import type { KubeObject } from './kube-types.ts';

export type FieldMatcher = (obj: KubeObject) => boolean;

/**
 * Parses a `fieldSelector` (`metadata.name=api,status.phase!=Running`). The real server only allows a few
 * fields per type; the sim allows any dotted path, which is a superset of what clients send
 * (`metadata.name`, `metadata.namespace`, `involvedObject.*` for events, `spec.nodeName`, `status.phase`).
 */
export function parseFieldSelector(text: string | undefined | null): FieldMatcher {
  if (!text) return () => true;
  const terms = text.split(',').map((t) => t.trim()).filter((t) => t !== '').map((term) => {
    const m = /^([A-Za-z0-9_.]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    return { path: (m[1] ?? '').split('.'), negate: m[2] === '!=', value: m[3] ?? '' };
  });
  return (obj) => terms.every((t) => (readPath(obj, t.path) === t.value) !== t.negate);
}

function readPath(obj: unknown, path: string[]): string {
  let current: unknown = obj;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return '';
    current = (current as Record<string, unknown>)[segment];
  }
  if (current === undefined || current === null) return '';
  return String(current);
}
