import type { ObjectMeta } from './kube-types.ts';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The metadata checks every type shares (apimachinery ValidateObjectMeta, the parts clients trip over). */
export function validateObjectMeta(meta: ObjectMeta, namespaced: boolean): Array<{ field: string; message: string; reason?: string }> {
  const problems: Array<{ field: string; message: string; reason?: string }> = [];
  if (!meta.name) {
    problems.push({ field: 'metadata.name', message: 'Required value: name or generateName is required', reason: 'FieldValueRequired' });
  } else if (meta.name.length > 253 || !DNS1123_SUBDOMAIN.test(meta.name)) {
    problems.push({
      field: 'metadata.name',
      message: `Invalid value: "${meta.name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
    });
  }
  if (namespaced && !meta.namespace) {
    problems.push({ field: 'metadata.namespace', message: 'Required value', reason: 'FieldValueRequired' });
  }
  for (const [key, value] of Object.entries(meta.labels ?? {})) {
    if (typeof value !== 'string' || value.length > 63) {
      problems.push({ field: `metadata.labels`, message: `Invalid value: "${String(value)}": must be no more than 63 characters (label ${key})` });
    }
  }
  return problems;
}
