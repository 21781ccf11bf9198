import { isPlainObject } from '../kube-types.ts';

/** What a `@kubernetes-models` model offers: `validate()` throws an ajv ValidationError listing what is wrong. */
export interface SchemaModel {
  validate(): void;
}

/**
 * Runs a CRD model's schema validation and turns its errors into the API server's field problems
 * (`spec.replicas: Invalid value: must be integer`), so an invalid custom resource answers 422 Invalid as the
 * real API server does with the CRD's OpenAPI schema.
 */
export function crdSchemaProblems(model: SchemaModel): Array<{ field: string; message: string }> {
  try {
    model.validate();
    return [];
  } catch (err) {
    const details = isPlainObject(err) && Array.isArray(err.errors) ? err.errors : undefined;
    if (!details) return [{ field: '<root>', message: err instanceof Error ? err.message : String(err) }];
    return details.filter(isPlainObject).map((detail) => ({
      field: fieldPath(typeof detail.instancePath === 'string' ? detail.instancePath : ''),
      message: `Invalid value: ${typeof detail.message === 'string' ? detail.message : 'does not match the schema'}`,
    }));
  }
}

/** `/spec/http/0/route/1/weight` → `spec.http[0].route[1].weight`, the API server's field path form. */
function fieldPath(pointer: string): string {
  const parts = pointer.split('/').filter((p) => p !== '').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (parts.length === 0) return '<root>';
  return parts.reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path === '' ? part : `${path}.${part}`), '');
}
