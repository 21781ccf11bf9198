/**
 * Part of the composition root (main.ts): the progressive-delivery drivers (canary, blue-green), with the analysis
 * providers (Prometheus, probes) and the traffic routers they use, from config.
 */
import { assess, createProbeProvider, createPrometheusProvider, measureChecks, type AnalysisProvider, type AnalysisTarget, type CheckSpec } from '../analysis/index.ts';
import type { Config } from '../config/index.ts';
import type { Deploy, WorkloadTarget } from '../deploy/index.ts';
import { createIstioClient, type KubeClient, type KubeSource } from '../kube/index.ts';
import {
  createBlueGreenDriver, createCanaryDriver, createIstioRouter, createRollingDriver, httpRouteRouter, replicaRouter, type ProgressiveDeps, type ProgressiveSettings, type RolloutDriver, type TrafficRouter,
} from '../rollout/index.ts';

export interface ProgressiveOptions {
  /** Where a pod's HTTP endpoint is, for probes (default `http://<podIP>:<port>`; the sandbox's pods live in its Prometheus). */
  podUrl?: (namespace: string, pod: string, ip: string | undefined, port: number) => string;
  /** How often readiness is looked at while a step waits (tests shorten it). */
  pollMs?: number;
}

/**
 * What every driver that measures needs: each service's settings, the analysis providers and the traffic routers.
 * The GitOps driver's watch after a sync (`soak:`) uses it too.
 */
export function createProgressiveDeps(o: ProgressiveOptions & { config: Config; kube: KubeClient; targetOf(d: Deploy): WorkloadTarget; kubeSource?: KubeSource }): ProgressiveDeps {
  const providers = new Map<AnalysisProvider['kind'], AnalysisProvider>();
  if (o.config.runtime.prometheusUrl) providers.set('prometheus', createPrometheusProvider({ url: o.config.runtime.prometheusUrl }) as AnalysisProvider);
  const podUrl = o.podUrl ?? ((_ns: string, _pod: string, ip: string | undefined, port: number) => `http://${ip ?? '0.0.0.0'}:${port}`);
  providers.set('probe', createProbeProvider({
    podsOf: async (target) => (await o.kube.listPods(target.namespace, target.podLabels))
      .filter((p) => p.ready && !p.deleting)
      .map((p) => ({ name: p.name, baseUrl: podUrl(p.namespace, p.name, p.ip, p.port) })),
  }) as AnalysisProvider);
  // Istio's custom resources are read through a client of the same cluster as `kube`.
  const kubeSource = o.kubeSource ?? {};
  const routers = new Map<TrafficRouter['kind'], TrafficRouter>([['replicas', replicaRouter], ['httproute', httpRouteRouter], ['istio', createIstioRouter(createIstioClient(kubeSource))]]);
  const settingsOf = (d: Deploy): ProgressiveSettings => {
    const s = o.config.services[d.service];
    if (!s) throw new Error(`no service ${d.service} in config`);
    return { canary: s.canary, analysis: s.analysis, probes: s.probes, bluegreen: s.bluegreen, soak: s.soak };
  };
  return {
    kube: o.kube, targetOf: o.targetOf, settingsOf, routers, pollMs: o.pollMs,
    analyse: async (checks: CheckSpec[], target: AnalysisTarget, streaks: Record<string, number>, limit: number, signal: AbortSignal) =>
      assess(checks, await measureChecks(providers, checks, target, signal), streaks, limit),
  };
}

/**
 * Canary and blue-green, and the rolling driver with its soak (`soak:`): it shares the settings and analysis of the
 * progressive ones, and replaces the plain rolling driver main.ts registers first.
 */
export function createProgressiveDrivers(deps: ProgressiveDeps, o: { deadlineGraceMs?: number } = {}): [string, RolloutDriver][] {
  return [
    ['rolling', createRollingDriver({ kube: deps.kube, targetOf: deps.targetOf, deadlineGraceMs: o.deadlineGraceMs, watch: deps })],
    ['canary', createCanaryDriver(deps)], ['bluegreen', createBlueGreenDriver(deps)],
  ];
}
