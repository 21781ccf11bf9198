import type { Pod } from '../kube-types.ts';

/** One HTTP request to a simulated pod's port (through `kubectl port-forward`, or `wget` inside `kubectl exec`). */
export interface PodHttpRequest {
  namespace: string;
  pod: string;
  port: number;
  method: string;
  /** Path and query, e.g. `/healthz?verbose=1`. */
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface PodHttpResponse {
  status: number;
  headers?: Record<string, string>;
  body: string | Buffer;
}

/** Answers the simulated pods' HTTP endpoints. The sandbox plugs in its probe endpoints (`podHttpProxy`). */
export type PodHttpHandler = (request: PodHttpRequest) => Promise<PodHttpResponse>;

/**
 * Whether something listens on `port` inside the pod: the container runs and declares that containerPort — or
 * declares no port at all (images often listen without declaring). Otherwise a connection is refused, as the
 * kubelet reports for a port nothing listens on.
 */
export function podListensOn(pod: Pod, port: number): boolean {
  if (pod.status?.phase !== 'Running' || pod.metadata.deletionTimestamp) return false;
  const running = new Set((pod.status.containerStatuses ?? []).filter((s) => s.state.running).map((s) => s.name));
  const containers = pod.spec.containers.filter((c) => running.has(c.name));
  return containers.some((c) => {
    const ports = (c.ports as Array<{ containerPort?: number }> | undefined) ?? [];
    return ports.length === 0 || ports.some((p) => p.containerPort === port);
  });
}

/** The ports a pod's containers declare, for messages ("it listens on 8080"). */
export function declaredPorts(pod: Pod): number[] {
  return pod.spec.containers.flatMap((c) => ((c.ports as Array<{ containerPort?: number }> | undefined) ?? []).map((p) => p.containerPort ?? 0)).filter((p) => p > 0);
}

function isReady(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

const HEALTH_PATHS = new Set(['/healthz', '/readyz', '/livez', '/health', '/ready', '/live']);

/**
 * What a simulated pod answers when nothing else is plugged in: health paths say `ok` (503 while the pod is not
 * Ready), `/` names the pod and its image, anything else is 404 — the shape of a small real service.
 */
export function defaultPodHttp(lookup: (namespace: string, name: string) => Pod | undefined): PodHttpHandler {
  return (request) => {
    const pod = lookup(request.namespace, request.pod);
    const path = request.path.split('?')[0] ?? '/';
    if (!pod) return Promise.resolve({ status: 502, body: 'pod is gone\n' });
    if (HEALTH_PATHS.has(path)) return Promise.resolve(isReady(pod) ? { status: 200, body: 'ok\n' } : { status: 503, body: 'not ready\n' });
    if (path === '/') {
      const images = pod.spec.containers.map((c) => c.image ?? '').join(', ');
      return Promise.resolve({ status: 200, headers: { 'content-type': 'application/json' }, body: `${JSON.stringify({ pod: request.pod, namespace: request.namespace, image: images, ready: isReady(pod) })}\n` });
    }
    return Promise.resolve({ status: 404, body: '404 page not found\n' });
  };
}

/**
 * Forwards pod HTTP requests to another server's per-pod endpoint — the sandbox's simulated Prometheus answers
 * `/sim/pods/<ns>/<pod>/<path>` with the version's probe status, so port-forward and probes agree.
 */
export function podHttpProxy(baseUrlOf: (namespace: string, pod: string) => string): PodHttpHandler {
  return async (request) => {
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD' && request.body.length > 0;
    const res = await fetch(`${baseUrlOf(request.namespace, request.pod)}${request.path}`, { method: request.method, ...(hasBody ? { body: new Uint8Array(request.body) } : {}) });
    const body = Buffer.from(await res.arrayBuffer());
    const contentType = res.headers.get('content-type');
    return { status: res.status, ...(contentType ? { headers: { 'content-type': contentType } } : {}), body };
  };
}
