/**
 * Who receives a service's traffic in the simulated cluster, read from its API over HTTP like any client:
 * an HTTPRoute that names the Service as a backend splits traffic by backendRef weights; otherwise the Service's
 * selector spreads it evenly over its ready pods (so a canary's share is its replica ratio).
 */
export interface VersionShare {
  /** Image tag → fraction of requests, 0..1. */
  shares: Map<string, number>;
  /** Full image per tag (profiles are keyed by image). */
  images: Map<string, string>;
}

interface KubePod { metadata?: { deletionTimestamp?: string }; spec?: { containers?: { image?: string }[] }; status?: { conditions?: { type: string; status: string }[] } }
interface KubeRoute { spec?: { rules?: { backendRefs?: { name: string; weight?: number }[] }[] } }

function tagOf(image: string): string {
  const colon = image.lastIndexOf(':');
  return colon > image.lastIndexOf('/') ? image.slice(colon + 1) : 'latest';
}

export function createTrafficModel(kubeUrl: () => string, cacheMs = 200): (namespace: string, service: string) => Promise<VersionShare> {
  const cache = new Map<string, { at: number; value: Promise<VersionShare> }>();

  async function get<T>(path: string): Promise<T | undefined> {
    const res = await fetch(`${kubeUrl()}${path}`);
    if (res.status === 404) { await res.arrayBuffer(); return undefined; }
    if (!res.ok) throw new Error(`sim API ${path} answered ${res.status}`);
    return await res.json() as T;
  }

  /** Ready pods behind a Service, counted per image. */
  async function podsBehind(namespace: string, service: string): Promise<Map<string, number>> {
    const svc = await get<{ spec?: { selector?: Record<string, string> } }>(`/api/v1/namespaces/${namespace}/services/${service}`);
    const selector = svc?.spec?.selector;
    const counts = new Map<string, number>();
    if (!selector || Object.keys(selector).length === 0) return counts;
    const q = encodeURIComponent(Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(','));
    const pods = await get<{ items: KubePod[] }>(`/api/v1/namespaces/${namespace}/pods?labelSelector=${q}`);
    for (const p of pods?.items ?? []) {
      const ready = !p.metadata?.deletionTimestamp && (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
      const image = p.spec?.containers?.[0]?.image;
      if (ready && image) counts.set(image, (counts.get(image) ?? 0) + 1);
    }
    return counts;
  }

  async function compute(namespace: string, service: string): Promise<VersionShare> {
    const routes = await get<{ items: KubeRoute[] }>(`/apis/gateway.networking.k8s.io/v1/namespaces/${namespace}/httproutes`);
    const rule = (routes?.items ?? []).flatMap((r) => r.spec?.rules ?? []).find((r) => (r.backendRefs ?? []).some((b) => b.name === service));
    const backends = rule ? (rule.backendRefs ?? []).map((b) => ({ name: b.name, weight: b.weight ?? 1 })) : [{ name: service, weight: 1 }];
    const totalWeight = backends.reduce((a, b) => a + b.weight, 0);
    const shares = new Map<string, number>();
    const images = new Map<string, string>();
    for (const b of backends) {
      if (b.weight <= 0 || totalWeight <= 0) continue;
      const counts = await podsBehind(namespace, b.name);
      const pods = [...counts.values()].reduce((a, c) => a + c, 0);
      for (const [image, n] of counts) {
        const tag = tagOf(image);
        images.set(tag, image);
        shares.set(tag, (shares.get(tag) ?? 0) + (b.weight / totalWeight) * (n / pods));
      }
    }
    return { shares, images };
  }

  return (namespace, service) => {
    const k = `${namespace}/${service}`;
    const hit = cache.get(k);
    if (hit && Date.now() - hit.at < cacheMs) return hit.value;
    const value = compute(namespace, service);
    cache.set(k, { at: Date.now(), value });
    value.catch(() => cache.delete(k));
    return value;
  };
}
