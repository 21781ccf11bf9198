import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../kube-types.ts';
import { isPlainObject } from '../kube-types.ts';

export type ParsedManifests = { ok: true; objects: KubeObject[] } | { ok: false; message: string };

/**
 * The Kubernetes objects in one YAML (or JSON) file, multi-document aware; empty documents are skipped and a
 * `List` is flattened, as Argo CD does. A syntax error or a document that is not an object with `apiVersion` and
 * `kind` is an error naming the file — what a ComparisonError then shows.
 */
export function parseManifests(fileName: string, text: string): ParsedManifests {
  const docs = parseAllDocuments(text);
  const objects: KubeObject[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    const error = doc.errors[0];
    if (error) return { ok: false, message: `failed to unmarshal "${fileName}": error converting YAML to JSON: yaml: ${firstLine(error.message)}` };
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    if (!isPlainObject(value)) return { ok: false, message: `failed to unmarshal "${fileName}": a manifest must be an object` };
    const items = value.kind === 'List' && Array.isArray(value.items) ? value.items : [value];
    for (const item of items) {
      if (!isPlainObject(item) || typeof item.apiVersion !== 'string' || typeof item.kind !== 'string') {
        return { ok: false, message: `failed to unmarshal "${fileName}": Object 'Kind' is missing in '${JSON.stringify(item).slice(0, 120)}'` };
      }
      const metadata = isPlainObject(item.metadata) ? item.metadata : {};
      objects.push({ ...item, metadata });
    }
  }
  return { ok: true, objects };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
