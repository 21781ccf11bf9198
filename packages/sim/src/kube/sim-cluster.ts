import { writeFile } from 'node:fs/promises';
import { SimError } from '../errors.ts';
import type { RecordedRequest } from './api-server.ts';
import type { ArgoCdOptions } from './argo-cd/application-controller.ts';
import { startArgoCdUi, type ArgoCdUi } from './argo-cd/argo-cd-ui.ts';
import { createSeedApplications } from './argo-cd/seed-applications.ts';
import type { KubeObject } from './kube-types.ts';
import { startApiServer } from './api-server.ts';
import { renderKubeconfig } from './kubeconfig.ts';
import type { SeedDeployment } from './seed.ts';
import { createSeedManifests, createSeedObjects, waitForSeedRollouts } from './seed.ts';
import { startSimCore } from './sim-core.ts';
import type { PodHttpHandler } from './streaming/pod-http.ts';

export interface SimClusterOptions {
  /** 0 / undefined = a free port. */
  port?: number;
  /** How long a new pod takes to become Ready (default 300 ms). */
  readyDelayMs?: number;
  /** Adds 0..readyJitterMs to each pod's readiness delay, deterministically (seeded); default 0. */
  readyJitterMs?: number;
  /** How long a deleted pod stays Terminating (default: readyDelayMs). */
  terminationDelayMs?: number;
  /** Pods running such an image crash-loop and never become Ready. */
  isFaultyImage?: (image: string) => boolean;
  /** Created at start (with namespaces and Services), already fully rolled out: revision 1, all ready. */
  seed?: SeedDeployment[];
  /** Interval of watch BOOKMARK events for `allowWatchBookmarks=true` (default 5 s). */
  bookmarkIntervalMs?: number;
  /**
   * What the pods' HTTP ports answer to `kubectl port-forward` and to `wget`/`curl` inside `kubectl exec`.
   * Default: health paths (`/healthz`, `/readyz` …) say ok while the pod is Ready, `/` names the pod.
   */
  podHttp?: PodHttpHandler;
  /**
   * Runs the simulated Argo CD: its application controller syncs Applications from `git` (the simulated
   * GitHub's `git`), every `pollIntervalMs` (default 1 s); `applications` are created at start, in `argocd`
   * unless they name a namespace.
   */
  argoCd?: SimArgoCdOptions;
  /**
   * Where Argo Rollouts AnalysisRuns send their prometheus queries, whatever address the template names (the
   * sim's stand-in for cluster DNS); unset: the template's `provider.prometheus.address`.
   */
  analysisPrometheusUrl?: string;
  /** Manifests created at start, after the seeds (Rollouts, Services, VirtualServices, AnalysisTemplates …). */
  manifests?: KubeObject[];
  /** How long an Event lives after its last write, like kube-apiserver's `--event-ttl` (default 1 h). */
  eventTtlMs?: number;
}

/** The simulated Argo CD's git source and timing, and the Applications it starts with. */
export type SimArgoCdOptions = ArgoCdOptions & { applications?: KubeObject[] };

export interface SimCluster {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** Kubeconfig YAML for the sim: server = url, insecure, a token user, namespace `default`. */
  kubeconfig(options?: { contextName?: string }): string;
  writeKubeconfig(path: string): Promise<void>;
  /** Every request the server received — tests count e.g. PATCHes of a deployment. */
  readonly requests: ReadonlyArray<RecordedRequest>;
  setFaultyImage(predicate: (image: string) => boolean): void;
  /** Swaps what the pods' HTTP ports answer (the sandbox plugs in its probe endpoints once they run). */
  setPodHttp(handler: PodHttpHandler | undefined): void;
  /**
   * Starts the simulated Argo CD now (what the `argoCd` option does at start), for callers whose simulated GitHub
   * starts after the cluster; creates its namespaces and `applications`, and answers where its web UI's pages are
   * (`${url}/applications/<ns>/<name>`). Once per cluster: later calls answer the same.
   */
  startArgoCd(options: SimArgoCdOptions): Promise<{ uiUrl: string }>;
  /** Points AnalysisRuns' prometheus queries at a URL (the sandbox starts its Prometheus after the cluster). */
  setAnalysisPrometheusUrl(url: string | undefined): void;
  close(): Promise<void>;
}

const DEFAULT_READY_DELAY_MS = 300;

/**
 * Starts the simulated cluster: the object store, the controllers (deployment, replicaset, a kubelet) and the
 * HTTP API server. Seeds are rolled out before the promise resolves, so callers start from a steady state.
 */
export async function startSimCluster(options: SimClusterOptions = {}): Promise<SimCluster> {
  let isFaultyImage = options.isFaultyImage ?? (() => false);
  let analysisPrometheusUrl = options.analysisPrometheusUrl;
  // Seeds roll out instantly and healthy, whatever the faulty-image rule says: they are the starting state.
  const core = startSimCore({ readyDelayMs: 0, terminationDelayMs: 0, isFaultyImage: () => false }, { analysisPrometheusUrl: () => analysisPrometheusUrl, eventTtlMs: options.eventTtlMs });
  try {
    const seeds = options.seed ?? [];
    createSeedObjects(core.store, core.registry, seeds);
    await waitForSeedRollouts(core.store, core.registry, seeds);
    createSeedManifests(core.store, core.registry, options.manifests ?? []);
  } catch (err) {
    core.close();
    throw err instanceof SimError ? err : new SimError('The simulated cluster could not create its seed objects.', { cause: err });
  }
  const readyDelayMs = options.readyDelayMs ?? DEFAULT_READY_DELAY_MS;
  core.setKubeletOptions({ readyDelayMs, terminationDelayMs: options.terminationDelayMs ?? readyDelayMs, readyJitterMs: options.readyJitterMs ?? 0, isFaultyImage: (image) => isFaultyImage(image) });

  let argoCdUi: Promise<ArgoCdUi> | undefined;
  const startArgoCd = async (argoCdOptions: SimArgoCdOptions): Promise<{ uiUrl: string }> => {
    if (!argoCdUi) {
      core.startArgoCd(argoCdOptions);
      createSeedApplications(core.store, core.registry, argoCdOptions.applications ?? [], argoCdOptions.controllerNamespace);
      argoCdUi = startArgoCdUi(core.store, core.type('argoproj.io/v1alpha1', 'applications'));
    }
    return { uiUrl: (await argoCdUi).url };
  };
  if (options.argoCd) await startArgoCd(options.argoCd);

  let api;
  try {
    api = await startApiServer(core.store, { port: options.port, bookmarkIntervalMs: options.bookmarkIntervalMs, ...(options.podHttp ? { podHttp: options.podHttp } : {}) });
  } catch (err) {
    core.close();
    throw new SimError(`The simulated cluster could not listen on port ${options.port ?? 0}.`, { cause: err });
  }
  const server = api;
  return {
    url: server.url,
    kubeconfig: (kubeconfigOptions) => renderKubeconfig(server.url, kubeconfigOptions),
    writeKubeconfig: (path) => writeFile(path, renderKubeconfig(server.url), { mode: 0o600 }),
    requests: server.requests,
    setFaultyImage: (predicate) => {
      isFaultyImage = predicate;
    },
    setPodHttp: (handler) => server.setPodHttp(handler),
    startArgoCd: (argoCdOptions) => startArgoCd(argoCdOptions),
    setAnalysisPrometheusUrl: (url) => {
      analysisPrometheusUrl = url;
    },
    close: async () => {
      core.close();
      await (await argoCdUi)?.close();
      await server.close();
    },
  };
}
