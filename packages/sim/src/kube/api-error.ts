import { SimError } from '../errors.ts';

/** The `Status` object the API server answers with on failure (meta/v1 Status). */
export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: { name?: string; group?: string; kind?: string; uid?: string; causes?: Array<{ reason: string; message: string; field?: string }>; retryAfterSeconds?: number };
  code: number;
}

/**
 * A failure that crosses the sim's HTTP boundary as a Status object. It is a SimError so
 * code outside the server sees the simulators' one error type; `status` is exactly what goes on the wire.
 */
export class KubeApiError extends SimError {
  readonly status: KubeStatus;

  constructor(status: Omit<KubeStatus, 'kind' | 'apiVersion' | 'metadata' | 'status'>) {
    super(status.message);
    this.name = 'KubeApiError';
    this.status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', ...status };
  }
}

/** What error messages call a resource: `deployments.apps`, or `pods` for the core group. */
export interface GroupResource {
  group: string;
  resource: string;
}

function qualified(gr: GroupResource): string {
  return gr.group === '' ? gr.resource : `${gr.resource}.${gr.group}`;
}

export function notFound(gr: GroupResource, name: string): KubeApiError {
  return new KubeApiError({
    message: `${qualified(gr)} "${name}" not found`,
    reason: 'NotFound',
    details: { name, group: gr.group, kind: gr.resource },
    code: 404,
  });
}

export function alreadyExists(gr: GroupResource, name: string): KubeApiError {
  return new KubeApiError({
    message: `${qualified(gr)} "${name}" already exists`,
    reason: 'AlreadyExists',
    details: { name, group: gr.group, kind: gr.resource },
    code: 409,
  });
}

export function conflict(gr: GroupResource, name: string): KubeApiError {
  return new KubeApiError({
    message: `Operation cannot be fulfilled on ${qualified(gr)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    reason: 'Conflict',
    details: { name, group: gr.group, kind: gr.resource },
    code: 409,
  });
}

export interface FieldProblem {
  field: string;
  message: string;
  reason?: string;
}

/** 422 Invalid, worded like apimachinery's NewInvalid: `Kind.group "name" is invalid: field: message`. */
export function invalid(kind: string, group: string, name: string, problems: FieldProblem[]): KubeApiError {
  const qualifiedKind = group === '' ? kind : `${kind}.${group}`;
  const summary = problems.map((p) => `${p.field}: ${p.message}`).join(', ');
  const list = problems.length > 1 ? `[${summary}]` : summary;
  return new KubeApiError({
    message: `${qualifiedKind} "${name}" is invalid: ${list}`,
    reason: 'Invalid',
    details: {
      name,
      group,
      kind,
      causes: problems.map((p) => ({ reason: p.reason ?? 'FieldValueInvalid', message: p.message, field: p.field })),
    },
    code: 422,
  });
}

/** 403 for a write into a namespace that is being deleted (the NamespaceLifecycle admission plugin's answer). */
export function namespaceTerminating(gr: GroupResource, name: string, namespace: string): KubeApiError {
  const message = `unable to create new content in namespace ${namespace} because it is being terminated`;
  return new KubeApiError({
    message: `${qualified(gr)} "${name}" is forbidden: ${message}`,
    reason: 'Forbidden',
    details: { name, group: gr.group, kind: gr.resource, causes: [{ reason: 'NamespaceTerminating', message, field: 'metadata.namespace' }] },
    code: 403,
  });
}

export function badRequest(message: string): KubeApiError {
  return new KubeApiError({ message, reason: 'BadRequest', code: 400 });
}

export function gone(message: string): KubeApiError {
  return new KubeApiError({ message, reason: 'Expired', code: 410 });
}

export function methodNotAllowed(message: string): KubeApiError {
  return new KubeApiError({ message, reason: 'MethodNotAllowed', code: 405 });
}

export function unsupportedMediaType(contentType: string): KubeApiError {
  return new KubeApiError({ message: `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (got ${contentType})`, reason: 'UnsupportedMediaType', code: 415 });
}

export function pageNotFound(): KubeApiError {
  return new KubeApiError({ message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404 });
}

/** Turns anything thrown inside a handler into a Status; unknown faults become 500 InternalError. */
export function toKubeStatus(err: unknown): KubeStatus {
  if (err instanceof KubeApiError) return err.status;
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `Internal error occurred: ${message}`, reason: 'InternalError', code: 500 };
}
