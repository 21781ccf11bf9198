import type { AnalysisProviders, AnalysisTarget, CheckSpec, Measurement } from './types.ts';

/** Measures every check with the provider for its kind, in parallel; a provider that throws yields an `error`. */
export async function measureChecks(providers: AnalysisProviders, checks: readonly CheckSpec[], target: AnalysisTarget, signal: AbortSignal): Promise<Measurement[]> {
  return Promise.all(checks.map(async (check): Promise<Measurement> => {
    const provider = providers.get(check.kind);
    if (!provider) return { kind: 'error', check: check.name, detail: `no ${check.kind} provider is configured (is PROMETHEUS_URL set?)` };
    try {
      return await (provider as { measure(c: CheckSpec, t: AnalysisTarget, s: AbortSignal): Promise<Measurement> }).measure(check, target, signal);
    } catch (err) {
      return { kind: 'error', check: check.name, detail: (err as Error).message };
    }
  }));
}
