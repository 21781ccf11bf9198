/**
 * The simulated latency distribution, shared by the simulated Prometheus' series and the pods' `/metrics`, so both
 * give `histogram_quantile` the same buckets: an exponential distribution whose 99th percentile is the profile's p99.
 */

/** Bucket upper bounds in seconds (the client libraries' defaults, refined around the 800 ms limit). */
export const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.25, 1.5, 2, 2.5, 5, 10, Infinity];

/** The share of requests answered in `le` seconds or less. */
export function latencyCdf(le: number, p99Ms: number): number {
  if (le === Infinity) return 1;
  return 1 - Math.exp((-Math.log(100) / (p99Ms / 1000)) * le);
}

/** The mean latency in seconds (an exponential's mean is its p99 over ln 100), for `_sum`. */
export function meanLatencySeconds(p99Ms: number): number {
  return p99Ms / 1000 / Math.log(100);
}
