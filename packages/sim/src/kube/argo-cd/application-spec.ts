import type { KubeObject } from '../kube-types.ts';
import { isPlainObject } from '../kube-types.ts';

/** The fields of an Application's spec the simulated controller reads (the CRD schema has checked their types on write). */
export interface ApplicationSpec {
  project: string;
  source: {
    repoURL: string;
    targetRevision?: string;
    path?: string;
    chart?: string;
    directory?: { recurse?: boolean };
    helm?: {
      releaseName?: string;
      namespace?: string;
      valueFiles?: string[];
      ignoreMissingValueFiles?: boolean;
      values?: string;
      valuesObject?: unknown;
      parameters?: Array<{ name?: string; value?: string; forceString?: boolean }>;
    };
  };
  destination: { server?: string; name?: string; namespace?: string };
  syncPolicy?: {
    automated?: { prune?: boolean; selfHeal?: boolean; allowEmpty?: boolean; enabled?: boolean };
    syncOptions?: string[];
  };
  revisionHistoryLimit?: number;
}

/** The spec when it has a single `source` (multi-source Applications are not simulated), else why not. */
export function applicationSpecOf(app: KubeObject): { ok: true; spec: ApplicationSpec } | { ok: false; message: string } {
  const spec = app.spec;
  if (!isPlainObject(spec) || !isPlainObject(spec.destination)) return { ok: false, message: 'spec.destination is required' };
  if (!isSpec(spec)) return { ok: false, message: Array.isArray(spec.sources) ? 'multi-source applications (spec.sources) are not simulated' : 'spec.source.repoURL is required' };
  return { ok: true, spec };
}

function isSpec(spec: Record<string, unknown>): spec is Record<string, unknown> & ApplicationSpec {
  return isPlainObject(spec.source) && typeof spec.source.repoURL === 'string' && isPlainObject(spec.destination) && typeof spec.project === 'string';
}

/** `automated` on and not switched off with `enabled: false`. */
export function isAutomated(spec: ApplicationSpec): boolean {
  const automated = spec.syncPolicy?.automated;
  return automated !== undefined && automated.enabled !== false;
}

export function hasSyncOption(spec: ApplicationSpec, option: string): boolean {
  return (spec.syncPolicy?.syncOptions ?? []).includes(option);
}
