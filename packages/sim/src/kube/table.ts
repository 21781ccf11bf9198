import type { KubeObject } from './kube-types.ts';
import type { ResourceType, TableColumn } from './resource-registry.ts';
import { ageSince } from './human-duration.ts';

/** Column set for types that register none: what the API server's default table convertor shows. */
export const DEFAULT_COLUMNS: TableColumn[] = [
  nameColumn(),
  ageColumn(),
];

export function nameColumn(): TableColumn {
  return {
    name: 'Name',
    type: 'string',
    format: 'name',
    description: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically.',
    priority: 0,
    cell: (obj) => obj.metadata.name ?? '',
  };
}

export function ageColumn(): TableColumn {
  return {
    name: 'Age',
    type: 'string',
    description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
    priority: 0,
    cell: (obj, now) => ageSince(obj.metadata.creationTimestamp, now),
  };
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

/**
 * Renders objects as a `meta.k8s.io/v1 Table` — what the server answers when a client asks for
 * `application/json;as=Table;v=v1;g=meta.k8s.io` (kubectl get does). `includeObject` decides what each row's
 * `object` carries; the server default is Metadata (a PartialObjectMetadata).
 */
export function renderTable(type: ResourceType, objects: KubeObject[], options: { resourceVersion: string; includeObject: IncludeObject; now: number; noHeaders?: boolean }): Record<string, unknown> {
  const columns = type.columns ?? DEFAULT_COLUMNS;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: options.resourceVersion },
    columnDefinitions: options.noHeaders ? null : columns.map(({ name, type: columnType, format, description, priority }) => ({ name, type: columnType, format: format ?? '', description, priority })),
    rows: objects.map((obj) => ({
      cells: columns.map((c) => c.cell(obj, options.now)),
      object: rowObject(obj, options.includeObject),
    })),
  };
}

function rowObject(obj: KubeObject, include: IncludeObject): unknown {
  switch (include) {
    case 'None':
      return undefined;
    case 'Object':
      return obj;
    case 'Metadata':
      return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
    default: {
      const never: never = include;
      return never;
    }
  }
}
