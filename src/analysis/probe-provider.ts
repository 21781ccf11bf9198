import { deadline } from './deadline.ts';
import { createHttpGet, type HttpGet } from './http-get.ts';
import type { AnalysisProvider, AnalysisTarget, Measurement } from './types.ts';

/** A pod to probe: where its HTTP endpoint is. */
export interface ProbePod {
  name: string;
  /** `http://10.0.0.7:8080` on a real cluster; the sandbox points it at its simulated pods. */
  baseUrl: string;
}

/**
 * HTTP probes against every ready pod under analysis. The measurement is the number of pods that did not answer
 * the expected status within the timeout; no ready pod at all is "no data".
 */
export function createProbeProvider(o: { podsOf(target: AnalysisTarget): Promise<ProbePod[]>; get?: HttpGet }): AnalysisProvider<'probe'> {
  const get = o.get ?? createHttpGet();
  return {
    kind: 'probe',
    async measure(check, target, signal): Promise<Measurement> {
      let pods: ProbePod[];
      try {
        pods = await o.podsOf(target);
      } catch (err) {
        return { kind: 'error', check: check.name, detail: `the pods could not be listed: ${(err as Error).message}` };
      }
      if (pods.length === 0) return { kind: 'no_data', check: check.name, detail: 'no ready pod to probe' };
      const failures: string[] = [];
      await Promise.all(pods.map(async (pod) => {
        const limit = deadline(signal, check.timeoutMs);
        try {
          const res = await get(new URL(`${pod.baseUrl}${check.path}`), limit.signal);
          if (res.status !== check.expectStatus) failures.push(`${pod.name} answered ${res.status}`);
        } catch (err) {
          failures.push(`${pod.name}: ${(err as Error).name === 'TimeoutError' ? `no answer within ${check.timeoutMs} ms` : (err as Error).message}`);
        } finally {
          limit.done();
        }
      }));
      return { kind: 'value', check: check.name, value: failures.length, detail: failures.length ? failures.sort().join('; ') : `${pods.length} pod(s) answered ${check.expectStatus}` };
    },
  };
}
