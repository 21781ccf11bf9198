import { describe, expect, it } from 'vitest';
import { formatConfigProblems, loadConfigText } from '../../src/config/index.ts';

const GITOPS = "{ kind: gitops, repository: acme/deploy-config, path: apps/api/production/kustomization.yaml, format: kustomize, application: api-production }";

function config(service: string): string {
  return `
services:
  api:
    team: payments
    repository: acme/api
    image: registry.local/acme/api
    versionPattern: 'v\\d+\\.\\d+\\.\\d+'
${service}`;
}

function problems(text: string): string[] {
  const r = loadConfigText(text, 'deckhand.yaml', {});
  return r.ok ? [] : formatConfigProblems(r.problems).split('\n');
}

describe('check-config: gitops combinations', () => {
  it('accepts a gitops environment beside a kubernetes one (whose canary may use its own traffic)', () => {
    expect(problems(config(`    canary: { traffic: { kind: httproute, route: api } }
    environments:
      staging: { namespace: staging, deployment: api, container: api, replicas: 1 }
      production: { namespace: production, deployment: api, container: api, replicas: 3, delivery: ${GITOPS} }`))).toEqual([]);
  });

  it('explains that a canary default strategy does not apply where Argo CD delivers', () => {
    const out = problems(config(`    defaultStrategy: canary
    environments:
      production: { namespace: production, deployment: api, container: api, replicas: 3, delivery: ${GITOPS} }`));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/services\.api\.defaultStrategy/);
    expect(out[0]).toMatch(/is `canary`, but `production` is delivered by Argo CD .*the strategy lives in the manifests Argo CD syncs/);
  });

  it('explains that canary.traffic is never used when no environment is delivered by Deckhand itself', () => {
    const out = problems(config(`    canary: { traffic: { kind: httproute, route: api } }
    environments:
      production: { namespace: production, deployment: api, container: api, replicas: 3, delivery: ${GITOPS} }
      staging: { namespace: staging, deployment: api, container: api, replicas: 1, delivery: { kind: argo-rollouts } }`));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/services\.api\.canary\.traffic/);
    expect(out[0]).toMatch(/every environment is delivered by gitops and argo-rollouts/);
  });

  it('refuses two environments that would change the same entry of one file, and a key a manifest does not use', () => {
    const out = problems(config(`    environments:
      production: { namespace: production, deployment: api, container: api, replicas: 3, delivery: ${GITOPS} }
      canary: { namespace: production, deployment: api, container: api, replicas: 1, delivery: ${GITOPS} }
      staging: { namespace: staging, deployment: api, container: api, replicas: 1, delivery: { kind: gitops, repository: acme/deploy-config, path: apps/api/staging/deploy.yaml, format: manifest, key: image, application: api-staging } }`));
    expect(out).toHaveLength(2);
    expect(out.join('\n')).toMatch(/services\.api\.environments\.canary\.delivery\.path.*is the same file and entry as `production`'s/);
    expect(out.join('\n')).toMatch(/services\.api\.environments\.staging\.delivery\.key.*with `format: manifest` the image is found by the environment's `deployment` and `container`/);
  });
});
