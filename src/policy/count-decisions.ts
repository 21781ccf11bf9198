import type { Metrics } from '../telemetry/index.ts';
import type { PolicyBackend } from './types.ts';

/** The backend, with every answer counted by result for /metrics; a backend that cannot answer counts as `error`. */
export function countDecisions(backend: PolicyBackend, metrics: Pick<Metrics, 'recordPolicyDecision'>): PolicyBackend {
  return {
    id: backend.id,
    async decide(input, rule) {
      const pkg = rule.package;
      try {
        const d = await backend.decide(input, rule);
        metrics.recordPolicyDecision(d.allow ? 'allow' : d.deny.length ? 'deny' : 'needs_approval', pkg);
        return d;
      } catch (err) {
        metrics.recordPolicyDecision('error', pkg);
        throw err;
      }
    },
  };
}
