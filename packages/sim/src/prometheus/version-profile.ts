/** What the simulated traffic is made of: services, and how each version behaves under it. */

/** How a version behaves under traffic. */
export interface VersionProfile {
  errorRate: number;
  p99Ms: number;
  probeStatus: number;
  /** Exports no metrics at all. */
  silent: boolean;
  /**
   * A release that fails only once promoted: after it has served all of its service's traffic for `afterMs`, its 5xx
   * ratio becomes `errorRate` (until it serves less than all of it again).
   */
  failsAfter?: { afterMs: number; errorRate: number };
}

export const HEALTHY: VersionProfile = { errorRate: 0.001, p99Ms: 120, probeStatus: 200, silent: false };

/** A service whose traffic the sim serves metrics for: `service` is the metrics label, `kubeService` the Service. */
export interface SimMetricsService { service: string; namespace: string; kubeService: string }

/** Where a profile applies: a version of a service, with its current share of the service's traffic. */
export interface ProfileScope { namespace: string; service: string; tag: string; image: string; share: number }

/**
 * A version's profile now: its configured one, with `failsAfter` applied once the version has served all of its
 * service's traffic long enough. The clock is shared by whoever asks (the simulated series and the pods' /metrics),
 * so both see the release fail at the same moment.
 */
export function createProfileClock(profileOf: (image: string) => VersionProfile, now: () => number = Date.now): (scope: ProfileScope) => VersionProfile {
  const fullSince = new Map<string, number>();
  return (scope) => {
    const profile = profileOf(scope.image);
    if (!profile.failsAfter) return profile;
    const key = `${scope.namespace}/${scope.service}/${scope.tag}`;
    const t = now();
    if (scope.share < 0.999) {
      fullSince.delete(key);
      return profile;
    }
    const since = fullSince.get(key) ?? t;
    fullSince.set(key, since);
    return t - since >= profile.failsAfter.afterMs ? { ...profile, errorRate: profile.failsAfter.errorRate } : profile;
  };
}
