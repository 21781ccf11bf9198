import type { ServiceSignals } from '../config/index.ts';
import type { Signal } from './signal.ts';

/** A service as signals see it: its name, its environments and how alerts name it. */
export interface SignalService {
  name: string;
  envs: readonly string[];
  signals: ServiceSignals;
}

/** What a signal is about: a service, in one environment or (`env` absent) in any. */
export interface SignalTarget {
  service: string;
  env?: string;
}

/**
 * The services (and environments) a signal is about. Alertmanager: one of the service's `alertLabels` carries its
 * `alertValue` (default: its name); one of `envLabels`, when present, must name one of its environments. Sentry:
 * the project is one of the service's `sentryProject`s. A signal about nothing configured matches nothing.
 */
export function matchServices(signal: Signal, services: readonly SignalService[]): SignalTarget[] {
  const out: SignalTarget[] = [];
  for (const s of services) {
    if (signal.source === 'sentry') {
      const project = signal.labels.project;
      if (project === undefined || !(s.signals.sentryProject ?? []).includes(project)) continue;
      const env = signal.labels.environment;
      out.push(env !== undefined && s.envs.includes(env) ? { service: s.name, env } : { service: s.name });
      continue;
    }
    const value = s.signals.alertValue ?? s.name;
    if (!s.signals.alertLabels.some((l) => signal.labels[l] === value)) continue;
    const envLabel = s.signals.envLabels.find((l) => signal.labels[l] !== undefined);
    if (envLabel === undefined) {
      out.push({ service: s.name });
      continue;
    }
    const env = signal.labels[envLabel]!;
    if (s.envs.includes(env)) out.push({ service: s.name, env });
  }
  return out;
}
