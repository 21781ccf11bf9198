/** What is being analysed: the canary (or green) version of a service, and how to find its pods. */
export interface AnalysisTarget {
  service: string;
  namespace: string;
  version: string;
  /** Labels that select exactly the pods under analysis. */
  podLabels: Record<string, string>;
}

/** A check to measure, with the limit `assess()` applies. Variants by where the measurement comes from. */
export type CheckSpec =
  | { kind: 'prometheus'; name: string; query: string; failAbove: number; unit: CheckUnit }
  /** `failAbove` applies to the number of pods that did not answer `expectStatus` in time (normally 0). */
  | { kind: 'probe'; name: string; path: string; expectStatus: number; timeoutMs: number; failAbove: number; unit: 'count' };

export type CheckUnit = 'ratio' | 'ms' | 'count';

/**
 * One measurement: a number, or the honest absence of one. Providers never judge: "no data" and "could not ask"
 * are reported as such, and only `assess()` decides what they mean.
 */
export type Measurement =
  | { kind: 'value'; check: string; value: number; detail?: string }
  | { kind: 'no_data'; check: string; detail: string }
  | { kind: 'error'; check: string; detail: string };

/** A source of measurements (Prometheus, HTTP probes, …), chosen by the check's `kind`. */
export interface AnalysisProvider<K extends CheckSpec['kind'] = CheckSpec['kind']> {
  readonly kind: K;
  measure(check: Extract<CheckSpec, { kind: K }>, target: AnalysisTarget, signal: AbortSignal): Promise<Measurement>;
}

/** Providers by check kind, built once in the composition root. */
export type AnalysisProviders = ReadonlyMap<CheckSpec['kind'], AnalysisProvider>;
