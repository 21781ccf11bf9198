import {
  ApiException, PatchStrategy, setHeaderOptions,
  type AppsV1Api, type CoreV1Api, type CustomObjectsApi, type V1Deployment, type V1Pod,
} from '@kubernetes/client-node';
import { DeckhandError } from '../errors.ts';
import { kubeError, toStatus } from './kube-status.ts';
import type { Retrier } from './request-options.ts';
import type { KubeWorkloads, PodInfo, RouteBackend } from './types.ts';

const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const GATEWAY = { group: 'gateway.networking.k8s.io', version: 'v1', plural: 'httproutes' };

function isCode(err: unknown, code: number): boolean {
  return err instanceof ApiException && err.code === code;
}

function selectorText(labels: Record<string, string>): string {
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
}

function toPod(p: V1Pod): PodInfo {
  const images: Record<string, string> = {};
  for (const c of p.spec?.containers ?? []) images[c.name] = c.image ?? '';
  return {
    name: p.metadata?.name ?? '',
    namespace: p.metadata?.namespace ?? '',
    ip: p.status?.podIP,
    ready: (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
    port: p.spec?.containers?.[0]?.ports?.[0]?.containerPort ?? 8080,
    images,
    labels: p.metadata?.labels ?? {},
    deleting: Boolean(p.metadata?.deletionTimestamp),
  };
}

interface HttpRouteObject {
  metadata?: { resourceVersion?: string };
  spec?: { rules?: { backendRefs?: { name: string; weight?: number; [k: string]: unknown }[]; [k: string]: unknown }[]; [k: string]: unknown };
}

/** Progressive-delivery operations: extra Deployments, Service selectors, HTTPRoute weights, pods. */
/** Every call goes through `retry` (transient failures, a time limit per request); errors come back raw to each catch. */
export function createWorkloadsClient(apps: AppsV1Api, core: CoreV1Api, custom: CustomObjectsApi, retry: Retrier): KubeWorkloads {
  async function readRoute(namespace: string, name: string): Promise<HttpRouteObject> {
    try {
      return await retry((o) => custom.getNamespacedCustomObject({ ...GATEWAY, namespace, name }, o)) as HttpRouteObject;
    } catch (err) {
      throw kubeError(err, `httproute ${namespace}/${name}`);
    }
  }

  return {
    async findDeployment(namespace, name) {
      try {
        return toStatus(await retry((o) => apps.readNamespacedDeployment({ name, namespace }, o)));
      } catch (err) {
        if (isCode(err, 404)) return undefined;
        throw kubeError(err, `deployment ${namespace}/${name}`);
      }
    },

    async createDeploymentFrom(namespace, from, name, o) {
      let source: V1Deployment;
      try {
        source = await retry((o) => apps.readNamespacedDeployment({ name: from, namespace }, o));
      } catch (err) {
        throw kubeError(err, `deployment ${namespace}/${from}`);
      }
      const template = structuredClone(source.spec?.template ?? {});
      template.metadata = { ...template.metadata, labels: { ...o.podLabels } };
      const container = template.spec?.containers.find((c) => c.name === o.container);
      if (!container) throw new DeckhandError('kube_not_found', `Deployment ${namespace}/${from} has no container named "${o.container}".`);
      container.image = o.image;
      const body: V1Deployment = {
        apiVersion: 'apps/v1', kind: 'Deployment',
        metadata: { name, namespace, labels: { ...o.podLabels }, annotations: o.annotations },
        spec: {
          replicas: o.replicas,
          selector: { matchLabels: { ...o.podLabels } },
          template,
          strategy: source.spec?.strategy,
          minReadySeconds: source.spec?.minReadySeconds,
          progressDeadlineSeconds: source.spec?.progressDeadlineSeconds,
        },
      };
      try {
        return toStatus(await retry((o) => apps.createNamespacedDeployment({ namespace, body }, o)));
      } catch (err) {
        if (!isCode(err, 409)) throw kubeError(err, `deployment ${namespace}/${name}`);
        return toStatus(await retry((o) => apps.readNamespacedDeployment({ name, namespace }, o)));
      }
    },

    async scaleDeployment(namespace, name, replicas) {
      try {
        await retry((o) => apps.patchNamespacedDeployment({ name, namespace, body: { spec: { replicas } } }, o), { options: MERGE });
      } catch (err) {
        throw kubeError(err, `deployment ${namespace}/${name}`);
      }
    },

    async deleteDeployment(namespace, name) {
      try {
        await retry((o) => apps.deleteNamespacedDeployment({ name, namespace, propagationPolicy: 'Background' }, o));
      } catch (err) {
        if (!isCode(err, 404)) throw kubeError(err, `deployment ${namespace}/${name}`);
      }
    },

    async readServiceSelector(namespace, name) {
      try {
        return (await retry((o) => core.readNamespacedService({ name, namespace }, o))).spec?.selector ?? {};
      } catch (err) {
        if (isCode(err, 404)) return undefined;
        throw kubeError(err, `service ${namespace}/${name}`);
      }
    },

    async ensureService(namespace, from, name, selector) {
      try {
        await retry((o) => core.readNamespacedService({ name, namespace }, o));
        await retry((o) => core.patchNamespacedService({ name, namespace, body: { spec: { selector } } }, o), { options: MERGE });
        return;
      } catch (err) {
        if (!isCode(err, 404)) throw kubeError(err, `service ${namespace}/${name}`);
      }
      try {
        const source = await retry((o) => core.readNamespacedService({ name: from, namespace }, o));
        const ports = (source.spec?.ports ?? []).map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort, protocol: p.protocol }));
        await retry((o) => core.createNamespacedService({ namespace, body: { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace, labels: { ...selector } }, spec: { selector, ports } } }, o));
      } catch (err) {
        if (!isCode(err, 409)) throw kubeError(err, `service ${namespace}/${name}`);
      }
    },

    async setServiceSelector(namespace, name, selector) {
      try {
        // A JSON patch replaces the whole selector (a merge patch would keep keys the new one lacks).
        await retry((o) => core.patchNamespacedService({ name, namespace, body: [{ op: 'replace', path: '/spec/selector', value: selector }] }, o), { options: setHeaderOptions('Content-Type', PatchStrategy.JsonPatch) });
      } catch (err) {
        throw kubeError(err, `service ${namespace}/${name}`);
      }
    },

    async deleteService(namespace, name) {
      try {
        await retry((o) => core.deleteNamespacedService({ name, namespace }, o));
      } catch (err) {
        if (!isCode(err, 404)) throw kubeError(err, `service ${namespace}/${name}`);
      }
    },

    async readRouteBackends(namespace, route) {
      const r = await readRoute(namespace, route);
      return (r.spec?.rules ?? []).map((rule) => (rule.backendRefs ?? []).map((b): RouteBackend => (b.weight === undefined ? { name: b.name } : { name: b.name, weight: b.weight })));
    },

    async setRouteBackends(namespace, route, rules) {
      for (let attempt = 0; ; attempt++) {
        const r = await readRoute(namespace, route);
        const spec = structuredClone(r.spec ?? {});
        spec.rules = (spec.rules ?? []).map((rule, i) => {
          const wanted = rules[i] ?? [];
          const kept = (rule.backendRefs ?? []).filter((b) => wanted.some((w) => w.name === b.name));
          const refs = wanted.map((w) => {
            const ref: { name: string; weight?: number; [k: string]: unknown } = { ...(kept.find((b) => b.name === w.name) ?? (rule.backendRefs?.[0] ? { ...rule.backendRefs[0] } : {})), name: w.name };
            if (w.weight === undefined) delete ref.weight;
            else ref.weight = w.weight;
            return ref;
          });
          return { ...rule, backendRefs: refs };
        });
        const body = { ...r, spec };
        try {
          await retry((o) => custom.replaceNamespacedCustomObject({ ...GATEWAY, namespace, name: route, body }, o));
          return;
        } catch (err) {
          if (isCode(err, 409) && attempt < 5) continue;
          throw kubeError(err, `httproute ${namespace}/${route}`);
        }
      }
    },

    async listPods(namespace, labelSelector) {
      try {
        const list = await retry((o) => core.listNamespacedPod({ namespace, labelSelector: selectorText(labelSelector) }, o));
        return list.items.map(toPod);
      } catch (err) {
        throw kubeError(err, `pods in ${namespace}`);
      }
    },
  };
}
