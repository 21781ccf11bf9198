/**
 * Who receives a service's traffic in the simulated cluster, read from its API over HTTP like any client:
 * an HTTPRoute that names the Service as a backend splits traffic by backendRef weights; otherwise the Service's
 * selector spreads it evenly over its ready pods (so a canary's share is its replica ratio).
 *
 * One snapshot per namespace (pods, Services, routes: three list calls) serves every service in it for `cacheMs`,
 * so hundreds of canaries analysed at once cost a few lists a second, not one per query.
 */
export interface VersionShare {
  /** Image tag → fraction of requests, 0..1. */
  shares: Map<string, number>;
  /** Full image per tag (profiles are keyed by image). */
  images: Map<string, string>;
  /** Each ready pod that receives some of the service's traffic: its tag and its own fraction of the requests. */
  pods: Map<string, { tag: string; share: number }>;
}

interface KubePod { metadata?: { name?: string; labels?: Record<string, string>; deletionTimestamp?: string }; spec?: { containers?: { image?: string }[] }; status?: { conditions?: { type: string; status: string }[] } }
interface KubeService { metadata?: { name?: string }; spec?: { selector?: Record<string, string> } }
interface KubeRoute { spec?: { rules?: { backendRefs?: { name: string; weight?: number }[] }[] } }
interface Snapshot { pods: KubePod[]; services: Map<string, Record<string, string>>; routes: KubeRoute[] }

function tagOf(image: string): string {
  // `repo:tag@sha256:…` (pinned by digest) is still that tag's version.
  const ref = image.replace(/@.*$/, '');
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/') ? ref.slice(colon + 1) : 'latest';
}

export function createTrafficModel(kubeUrl: () => string, cacheMs = 250): (namespace: string, service: string) => Promise<VersionShare> {
  const cache = new Map<string, { at: number; value: Promise<Snapshot> }>();

  async function get<T>(path: string): Promise<T | undefined> {
    const res = await fetch(`${kubeUrl()}${path}`);
    if (res.status === 404) { await res.arrayBuffer(); return undefined; }
    if (!res.ok) throw new Error(`sim API ${path} answered ${res.status}`);
    return await res.json() as T;
  }

  async function load(namespace: string): Promise<Snapshot> {
    const [pods, services, routes] = await Promise.all([
      get<{ items: KubePod[] }>(`/api/v1/namespaces/${namespace}/pods`),
      get<{ items: KubeService[] }>(`/api/v1/namespaces/${namespace}/services`),
      get<{ items: KubeRoute[] }>(`/apis/gateway.networking.k8s.io/v1/namespaces/${namespace}/httproutes`),
    ]);
    const ready = (pods?.items ?? []).filter((p) => !p.metadata?.deletionTimestamp && (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'));
    return { pods: ready, services: new Map((services?.items ?? []).map((s) => [s.metadata?.name ?? '', s.spec?.selector ?? {}])), routes: routes?.items ?? [] };
  }

  function snapshot(namespace: string): Promise<Snapshot> {
    const hit = cache.get(namespace);
    if (hit && Date.now() - hit.at < cacheMs) return hit.value;
    const value = load(namespace);
    cache.set(namespace, { at: Date.now(), value });
    value.catch(() => cache.delete(namespace));
    return value;
  }

  /** Ready pods behind a Service, by image. */
  function podsBehind(s: Snapshot, service: string): Map<string, string[]> {
    const byImage = new Map<string, string[]>();
    const selector = Object.entries(s.services.get(service) ?? {});
    if (selector.length === 0) return byImage;
    for (const p of s.pods) {
      const labels = p.metadata?.labels ?? {};
      const image = p.spec?.containers?.[0]?.image;
      if (image && selector.every(([k, v]) => labels[k] === v)) byImage.set(image, [...byImage.get(image) ?? [], p.metadata?.name ?? '']);
    }
    return byImage;
  }

  return async (namespace, service) => {
    const s = await snapshot(namespace);
    const rule = s.routes.flatMap((r) => r.spec?.rules ?? []).find((r) => (r.backendRefs ?? []).some((b) => b.name === service));
    const backends = rule ? (rule.backendRefs ?? []).map((b) => ({ name: b.name, weight: b.weight ?? 1 })) : [{ name: service, weight: 1 }];
    const totalWeight = backends.reduce((a, b) => a + b.weight, 0);
    const shares = new Map<string, number>();
    const images = new Map<string, string>();
    const pods = new Map<string, { tag: string; share: number }>();
    for (const b of backends) {
      if (b.weight <= 0 || totalWeight <= 0) continue;
      const byImage = podsBehind(s, b.name);
      const count = [...byImage.values()].reduce((a, names) => a + names.length, 0);
      for (const [image, names] of byImage) {
        const tag = tagOf(image);
        images.set(tag, image);
        shares.set(tag, (shares.get(tag) ?? 0) + (b.weight / totalWeight) * (names.length / count));
        for (const name of names) pods.set(name, { tag, share: (pods.get(name)?.share ?? 0) + (b.weight / totalWeight) / count });
      }
    }
    return { shares, images, pods };
  };
}
