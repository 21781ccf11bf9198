import { HEALTHY, type SimMetricsService, type VersionProfile } from '@deckhand/sim/prometheus';
import type { Config } from '../config/index.ts';

/** The sim Prometheus' services and version profiles from the sandbox section of the config. */
export function simMetricsFromConfig(config: Config): { services: SimMetricsService[]; profileOf(image: string): VersionProfile; requestsPerSecond: number } {
  const services: SimMetricsService[] = [];
  const profiles = new Map<string, VersionProfile>();
  for (const [name, svc] of Object.entries(config.services)) {
    for (const env of Object.values(svc.environments)) services.push({ service: name, namespace: env.namespace, kubeService: env.deployment });
    for (const [version, p] of Object.entries(config.sandbox?.services[name]?.profiles ?? {})) {
      const { failsAfter, ...rest } = p;
      profiles.set(`${svc.image}:${version}`, { ...HEALTHY, ...rest, ...(failsAfter && { failsAfter: { afterMs: failsAfter.after, errorRate: failsAfter.errorRate } }) });
    }
  }
  return { services, profileOf: (image) => profiles.get(image.replace(/@.*$/, '')) ?? HEALTHY, requestsPerSecond: config.sandbox?.requestsPerSecond ?? 50 };
}
