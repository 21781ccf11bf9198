/**
 * Who receives a service's traffic in the simulated cluster, read from its API over HTTP like any client:
 * an HTTPRoute that names the Service as a backend splits traffic by backendRef weights; else an Istio
 * VirtualService for the service (its `hosts`, or a destination of its default HTTP route, name the Service)
 * splits it by its route destinations' weights — a destination is a Service host, or a DestinationRule subset of
 * one, whose labels narrow the Service's pods; otherwise the Service's selector spreads it evenly over its ready
 * pods (so a canary's share is its replica ratio).
 *
 * One snapshot per namespace (pods, Services, routes, VirtualServices, DestinationRules: five list calls) serves
 * every service in it for `cacheMs`, so hundreds of canaries analysed at once cost a few lists a second.
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
interface IstioDestination { destination?: { host?: string; subset?: string }; weight?: number }
interface KubeVirtualService { spec?: { hosts?: string[]; http?: { name?: string; match?: unknown[]; route?: IstioDestination[] }[] } }
interface KubeDestinationRule { spec?: { host?: string; subsets?: { name?: string; labels?: Record<string, string> }[] } }
interface Snapshot { pods: KubePod[]; podsByLabel: Map<string, KubePod[]>; services: Map<string, Record<string, string>>; routes: KubeRoute[]; virtualServices: KubeVirtualService[]; destinationRules: KubeDestinationRule[] }
/** Where a share of the traffic goes: a Service's ready pods, narrowed by a DestinationRule subset's labels. */
interface Backend { name: string; weight: number; subsetLabels?: Record<string, string> }

/** The Service a mesh host names in `namespace` (`api`, `api.shop`, `api.shop.svc`, `api.shop.svc.cluster.local`). */
function serviceOfHost(host: string | undefined, namespace: string): string | undefined {
  if (!host) return undefined;
  const [name, ...rest] = host.split('.');
  const suffix = rest.join('.');
  return suffix === '' || suffix === namespace || suffix === `${namespace}.svc` || suffix === `${namespace}.svc.cluster.local` ? name : undefined;
}

/**
 * The backends of the VirtualService routing `service`, if one does: its default HTTP route (the first without a
 * `match`, else the first), each destination weighted (a lone destination without a weight takes everything).
 */
function istioBackends(s: Snapshot, namespace: string, service: string): Backend[] | undefined {
  for (const vs of s.virtualServices) {
    const routes = vs.spec?.http ?? [];
    const route = routes.find((r) => (r.match ?? []).length === 0) ?? routes[0];
    const destinations = route?.route ?? [];
    const named = (vs.spec?.hosts ?? []).some((h) => serviceOfHost(h, namespace) === service) || destinations.some((d) => serviceOfHost(d.destination?.host, namespace) === service);
    if (!named || destinations.length === 0) continue;
    return destinations.flatMap((d) => {
      const name = serviceOfHost(d.destination?.host, namespace);
      if (!name) return [];
      const weight = d.weight ?? (destinations.length === 1 ? 100 : 0);
      const subsetName = d.destination?.subset;
      if (subsetName === undefined) return [{ name, weight }];
      const rule = s.destinationRules.find((r) => serviceOfHost(r.spec?.host, namespace) === name);
      const subset = rule?.spec?.subsets?.find((x) => x.name === subsetName);
      // A subset no DestinationRule defines has no endpoints: Istio answers 503 for its share; here it simply has no pods.
      return [{ name, weight, subsetLabels: subset ? subset.labels ?? {} : { 'sim.deckhand.dev/undefined-subset': subsetName } }];
    });
  }
  return undefined;
}

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
    const [pods, services, routes, virtualServices, destinationRules] = await Promise.all([
      get<{ items: KubePod[] }>(`/api/v1/namespaces/${namespace}/pods`),
      get<{ items: KubeService[] }>(`/api/v1/namespaces/${namespace}/services`),
      get<{ items: KubeRoute[] }>(`/apis/gateway.networking.k8s.io/v1/namespaces/${namespace}/httproutes`),
      get<{ items: KubeVirtualService[] }>(`/apis/networking.istio.io/v1/namespaces/${namespace}/virtualservices`),
      get<{ items: KubeDestinationRule[] }>(`/apis/networking.istio.io/v1/namespaces/${namespace}/destinationrules`),
    ]);
    const ready = (pods?.items ?? []).filter((p) => !p.metadata?.deletionTimestamp && (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'));
    // Each selector is answered from the pods carrying one of its labels, not by scanning the namespace's pods.
    const podsByLabel = new Map<string, KubePod[]>();
    for (const p of ready) {
      for (const [k, v] of Object.entries(p.metadata?.labels ?? {})) {
        const key = `${k}=${v}`;
        const list = podsByLabel.get(key);
        if (list) list.push(p);
        else podsByLabel.set(key, [p]);
      }
    }
    return {
      pods: ready,
      podsByLabel,
      services: new Map((services?.items ?? []).map((s) => [s.metadata?.name ?? '', s.spec?.selector ?? {}])),
      routes: routes?.items ?? [],
      virtualServices: virtualServices?.items ?? [],
      destinationRules: destinationRules?.items ?? [],
    };
  }

  function snapshot(namespace: string): Promise<Snapshot> {
    const hit = cache.get(namespace);
    if (hit && Date.now() - hit.at < cacheMs) return hit.value;
    const value = load(namespace);
    cache.set(namespace, { at: Date.now(), value });
    value.catch(() => cache.delete(namespace));
    return value;
  }

  /** Ready pods behind a Service (and a subset's labels), by image. */
  function podsBehind(s: Snapshot, service: string, subsetLabels: Record<string, string> = {}): Map<string, string[]> {
    const byImage = new Map<string, string[]>();
    const serviceSelector = Object.entries(s.services.get(service) ?? {});
    if (serviceSelector.length === 0) return byImage;
    const selector = [...serviceSelector, ...Object.entries(subsetLabels)];
    let candidates: KubePod[] = s.pods;
    for (const [k, v] of selector) {
      const carrying = s.podsByLabel.get(`${k}=${v}`) ?? [];
      if (carrying.length < candidates.length) candidates = carrying;
    }
    for (const p of candidates) {
      const labels = p.metadata?.labels ?? {};
      const image = p.spec?.containers?.[0]?.image;
      if (image && selector.every(([k, v]) => labels[k] === v)) byImage.set(image, [...byImage.get(image) ?? [], p.metadata?.name ?? '']);
    }
    return byImage;
  }

  return async (namespace, service) => {
    const s = await snapshot(namespace);
    const rule = s.routes.flatMap((r) => r.spec?.rules ?? []).find((r) => (r.backendRefs ?? []).some((b) => b.name === service));
    const backends: Backend[] = rule ? (rule.backendRefs ?? []).map((b) => ({ name: b.name, weight: b.weight ?? 1 })) : istioBackends(s, namespace, service) ?? [{ name: service, weight: 1 }];
    const totalWeight = backends.reduce((a, b) => a + b.weight, 0);
    const shares = new Map<string, number>();
    const images = new Map<string, string>();
    const pods = new Map<string, { tag: string; share: number }>();
    for (const b of backends) {
      if (b.weight <= 0 || totalWeight <= 0) continue;
      const byImage = podsBehind(s, b.name, b.subsetLabels);
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
