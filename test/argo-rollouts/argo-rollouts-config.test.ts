import { describe, expect, it } from 'vitest';
import { formatConfigProblems, loadConfigText } from '../../src/config/index.ts';

const config = (envs: string, extra = ''): string => `
services:
  search:
    team: search
    repository: acme/search
    image: registry.local/acme/search
    versionPattern: 'v\\d+\\.\\d+\\.\\d+'
    environments:
${envs}
${extra}`;

function problems(text: string): string[] {
  const result = loadConfigText(text, 'deckhand.yaml', {});
  return result.ok ? [] : formatConfigProblems(result.problems).split('\n');
}

describe('check-config: argo-rollouts and istio', () => {
  it('accepts an argo-rollouts environment with its dashboard, and istio traffic in either mode', () => {
    expect(problems(config(`      production: { namespace: shop, deployment: search, container: search, replicas: 4, delivery: { kind: argo-rollouts, rollout: search, dashboardUrl: 'https://rollouts.example.com' } }
      staging: { namespace: staging, deployment: search, container: search, replicas: 1 }`, `    canary: { traffic: { kind: istio, virtualService: search, destinationRule: search, stableSubset: v-stable } }`))).toEqual([]);
    expect(problems(config(`      staging: { namespace: staging, deployment: search, container: search, replicas: 1 }`, `    canary: { traffic: { kind: istio, virtualService: search } }`))).toEqual([]);
  });

  it('refuses two environments steering one Rollout', () => {
    const found = problems(config(`      staging: { namespace: shop, deployment: search, container: search, replicas: 1, delivery: { kind: argo-rollouts } }
      production: { namespace: shop, deployment: other, container: search, replicas: 1, delivery: { kind: argo-rollouts, rollout: search } }`));
    expect(found.join('\n')).toMatch(/production.*rollout.*is the Rollout shop\/search, which `staging` deploys too/s);
  });

  it('refuses a soak where Argo Rollouts runs every environment', () => {
    const found = problems(config(`      production: { namespace: shop, deployment: search, container: search, replicas: 1, delivery: { kind: argo-rollouts } }`, '    soak: 5m'));
    expect(found.join('\n')).toMatch(/soak.*every environment is delivered by Argo Rollouts/s);
  });

  it('refuses subsets without a DestinationRule, and one subset for both sides', () => {
    expect(problems(config(`      staging: { namespace: staging, deployment: search, container: search, replicas: 1 }`, `    canary: { traffic: { kind: istio, virtualService: search, canarySubset: next } }`)).join('\n')).toMatch(/canarySubset.*need `destinationRule`/s);
    expect(problems(config(`      staging: { namespace: staging, deployment: search, container: search, replicas: 1 }`, `    canary: { traffic: { kind: istio, virtualService: search, destinationRule: search, stableSubset: canary } }`)).join('\n')).toMatch(/must differ from the stable subset/);
  });
});
