import { ApiException } from '@kubernetes/client-node';
import { z } from 'zod';
import { DeckhandError } from '../errors.ts';
import { customObjectsOf } from './custom-objects.ts';
import type { KubeSource } from './kube-client.ts';
import { kubeError } from './kube-status.ts';

const VIRTUAL_SERVICES = { group: 'networking.istio.io', version: 'v1', plural: 'virtualservices' };
const DESTINATION_RULES = { group: 'networking.istio.io', version: 'v1', plural: 'destinationrules' };
/** Read-modify-write attempts when the object changed between the read and the write (409). */
const WRITE_ATTEMPTS = 6;

/** One destination of an HTTP route: `spec.http[i].route[j]` (istio/api networking/v1 HTTPRouteDestination). */
export interface IstioDestination {
  host: string;
  subset?: string;
  /** Absent as in the object (one destination alone takes all traffic); kept absent so a restore is exact. */
  weight?: number;
}

/** One `spec.http[]` entry: its name and its destinations, in order. */
export interface IstioHttpRoute {
  name?: string;
  destinations: IstioDestination[];
}

export interface IstioSubset {
  name: string;
  labels: Record<string, string>;
}

/** Istio's VirtualService and DestinationRule (networking.istio.io/v1), as a traffic router needs them. */
export interface IstioClient {
  readHttpRoutes(namespace: string, virtualService: string): Promise<IstioHttpRoute[]>;
  /**
   * Writes the destinations (and weights) of every HTTP route, route by route; everything else in the object (matches,
   * retries, a destination's port) is kept. Read-modify-write on resourceVersion, read again on a conflict.
   */
  setHttpRoutes(namespace: string, virtualService: string, routes: IstioHttpRoute[]): Promise<void>;
  readSubsets(namespace: string, destinationRule: string): Promise<IstioSubset[]>;
  /**
   * The subsets become exactly `subsets` (names and labels, in order); a subset that was there keeps its other fields
   * (its trafficPolicy). Restoring what `readSubsets` returned puts the DestinationRule back as it was.
   */
  setSubsets(namespace: string, destinationRule: string, subsets: IstioSubset[]): Promise<void>;
}

const Destination = z.looseObject({ host: z.string(), subset: z.string().optional() });
const VirtualService = z.looseObject({
  metadata: z.looseObject({ resourceVersion: z.string().optional() }),
  spec: z.looseObject({
    http: z.array(z.looseObject({
      name: z.string().optional(),
      route: z.array(z.looseObject({ destination: Destination, weight: z.number().optional() })).optional(),
    })).optional(),
  }),
});
type VirtualService = z.infer<typeof VirtualService>;
const DestinationRule = z.looseObject({
  metadata: z.looseObject({ resourceVersion: z.string().optional() }),
  spec: z.looseObject({
    subsets: z.array(z.looseObject({ name: z.string(), labels: z.record(z.string(), z.string()).optional() })).optional(),
  }),
});
type DestinationRule = z.infer<typeof DestinationRule>;

function parsed<S extends z.ZodType>(schema: S, raw: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new DeckhandError('kube_api_error', `${what} is not what Istio's API serves (${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}).`);
  }
  return r.data;
}

/** The route's destinations set to `wanted`, each keeping the fields (port, headers) it had for the same host and subset. */
function withDestinations(route: z.infer<typeof VirtualService>['spec']['http'], wanted: IstioHttpRoute[]): z.infer<typeof VirtualService>['spec']['http'] {
  return (route ?? []).map((http, i) => {
    const want = wanted[i];
    if (!want) return http;
    const old = http.route ?? [];
    const same = (a: { host: string; subset?: string }, b: IstioDestination): boolean => a.host === b.host && (a.subset ?? '') === (b.subset ?? '');
    return {
      ...http,
      route: want.destinations.map((d) => {
        const kept = old.find((o) => same(o.destination, d)) ?? old[0];
        const destination = { ...(kept?.destination ?? {}), host: d.host };
        if (d.subset === undefined) delete destination.subset;
        else destination.subset = d.subset;
        const { weight: _w, ...rest } = kept ?? { destination };
        return { ...rest, destination, ...(d.weight !== undefined && { weight: d.weight }) };
      }),
    };
  });
}

export function createIstioClient(source: KubeSource): IstioClient {
  const { custom, retry } = customObjectsOf(source);

  async function read<T>(kind: typeof VIRTUAL_SERVICES, schema: z.ZodType<T>, namespace: string, name: string, what: string): Promise<T> {
    try {
      return parsed(schema, await retry((o) => custom.getNamespacedCustomObject({ ...kind, namespace, name }, o)), what);
    } catch (err) {
      throw kubeError(err, what);
    }
  }

  async function update<T extends object>(kind: typeof VIRTUAL_SERVICES, schema: z.ZodType<T>, namespace: string, name: string, what: string, change: (o: T) => T): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const body = change(await read(kind, schema, namespace, name, what));
      try {
        await retry((o) => custom.replaceNamespacedCustomObject({ ...kind, namespace, name, body }, o));
        return;
      } catch (err) {
        if (err instanceof ApiException && err.code === 409 && attempt < WRITE_ATTEMPTS) continue;
        throw kubeError(err, what);
      }
    }
  }

  return {
    async readHttpRoutes(namespace, name) {
      const vs: VirtualService = await read(VIRTUAL_SERVICES, VirtualService, namespace, name, `virtualservice ${namespace}/${name}`);
      return (vs.spec.http ?? []).map((h) => ({
        ...(h.name !== undefined && { name: h.name }),
        destinations: (h.route ?? []).map((r) => ({
          host: r.destination.host,
          ...(r.destination.subset !== undefined && { subset: r.destination.subset }),
          ...(r.weight !== undefined && { weight: r.weight }),
        })),
      }));
    },

    setHttpRoutes(namespace, name, routes) {
      return update(VIRTUAL_SERVICES, VirtualService, namespace, name, `virtualservice ${namespace}/${name}`,
        (vs) => ({ ...vs, spec: { ...vs.spec, http: withDestinations(vs.spec.http, routes) } }));
    },

    async readSubsets(namespace, name) {
      const dr: DestinationRule = await read(DESTINATION_RULES, DestinationRule, namespace, name, `destinationrule ${namespace}/${name}`);
      return (dr.spec.subsets ?? []).map((s) => ({ name: s.name, labels: s.labels ?? {} }));
    },

    setSubsets(namespace, name, subsets) {
      return update(DESTINATION_RULES, DestinationRule, namespace, name, `destinationrule ${namespace}/${name}`, (dr) => {
        const existing = dr.spec.subsets ?? [];
        const next = subsets.map((w) => {
          const { labels: _l, ...kept } = existing.find((s) => s.name === w.name) ?? { name: w.name };
          return { ...kept, name: w.name, ...(Object.keys(w.labels).length > 0 && { labels: { ...w.labels } }) };
        });
        return { ...dr, spec: { ...dr.spec, subsets: next } };
      });
    },
  };
}
