import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatConfigProblems, loadConfig, loadConfigText } from '../../src/config/index.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/config');

function problemsOf(fixture: string): string[] {
  const result = loadConfigText(readFileSync(join(FIXTURES, fixture), 'utf8'), fixture, {});
  if (result.ok) throw new Error(`${fixture} was expected to be invalid`);
  return formatConfigProblems(result.problems).split('\n');
}

describe('loadConfigText: every problem at once, each at file:line:col', () => {
  it.each([
    ['missing-keys.yaml', [
      'missing-keys.yaml:3:3: services.api: missing required key `team`',
      'missing-keys.yaml:9:7: services.api.environments.production: missing required key `replicas`',
    ]],
    ['bad-values.yaml', [
      'bad-values.yaml:3:11: services.api.team: must be a group name: lowercase letters, digits and dashes, starting with a letter (like `payments`)',
      'bad-values.yaml:4:17: services.api.repository: must look like `owner/name`, like `acme/api`',
      'bad-values.yaml:6:21: services.api.versionPattern: is not a valid regular expression',
      'bad-values.yaml:7:22: services.api.defaultStrategy: must be one of rolling, canary, bluegreen',
      'bad-values.yaml:9:29: services.api.environments.staging.namespace: must be a Kubernetes name: lowercase letters, digits and dashes',
      'bad-values.yaml:9:81: services.api.environments.staging.replicas: must be a whole number',
      'bad-values.yaml:10:87: services.api.environments.production.replicas: must be at least 1',
      'bad-values.yaml:12:16: approvals.expireAfter: expected a duration like 30m, 1h or 90s',
      'bad-values.yaml:14:3: groups: `Payments` must be a group name: lowercase letters, digits and dashes, starting with a letter (like `payments`)',
    ]],
    ['unknown-keys.yaml', [
      'unknown-keys.yaml:7:5: services.api: unknown key `enviroments`; did you mean `environments`?',
      'unknown-keys.yaml:10:3: chat: unknown key `botname`; did you mean `botName`?',
    ]],
    ['syntax-error.yaml', [
      'syntax-error.yaml:5:3: YAML syntax: Flow map in block collection must be sufficiently indented and end with a }',
    ]],
    ['duplicate-keys.yaml', [
      'duplicate-keys.yaml:9:3: YAML syntax: Map keys must be unique',
    ]],
    ['sandbox-mismatch.yaml', [
      "sandbox-mismatch.yaml:7:17: services.api.defaultEnv: `prod` is not one of this service's environments (staging, production)",
      'sandbox-mismatch.yaml:13:21: sandbox.services.api.running: `v1.4.0` is not listed in versions',
      'sandbox-mismatch.yaml:13:48: sandbox.services.api.versions.1: `1.6.0` does not match the versionPattern of api (`^v\\d+\\.\\d+\\.\\d+$`)',
      'sandbox-mismatch.yaml:13:65: sandbox.services.api.faulty.0: `v1.5.1` is not listed in versions',
      'sandbox-mismatch.yaml:14:5: sandbox.services.payments: `payments` is not a service in services (known: api)',
    ]],
    ['bad-names.yaml', [
      'bad-names.yaml:2:3: services: `Api_Service` must be lowercase letters, digits and dashes, starting with a letter (like `api`)',
      // A bad name does not hide the problems inside its entry.
      'bad-names.yaml:8:7: services.Api_Service.environments: `Prod` must be lowercase letters, digits and dashes, starting with a letter (like `staging`)',
      'bad-names.yaml:8:81: services.Api_Service.environments.Prod.replicas: must be a whole number',
    ]],
    ['empty.yaml', [
      'empty.yaml:1:1: (top level): missing required key `services`',
    ]],
  ])('%s', (fixture, expected) => {
    expect(problemsOf(fixture)).toEqual(expected);
  });

  it('reports the file and the environment together', () => {
    const result = loadConfigText(readFileSync(join(FIXTURES, 'missing-keys.yaml'), 'utf8'), 'deckhand.yaml', { REDIS_URL: 'http://localhost:6379' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.message)).toContain('REDIS_URL must be a redis:// or rediss:// URL');
    expect(result.problems).toHaveLength(3);
  });
});

describe('loadConfig', () => {
  const examplePath = join(import.meta.dirname, '../../deckhand.yaml');

  it('loads the example deckhand.yaml the sandbox uses', async () => {
    const result = await loadConfig({ path: examplePath, env: {} });
    if (!result.ok) throw new Error(formatConfigProblems(result.problems));
    const { config } = result;
    expect(Object.keys(config.services)).toEqual(expect.arrayContaining(['api', 'web', 'worker']));
    for (const name of ['api', 'web', 'worker', 'billing']) {
      expect(Object.keys(config.services[name]?.environments ?? {})).toEqual(expect.arrayContaining(['staging', 'production']));
    }
    // One service per delivery engine besides Deckhand's own: Argo CD (GitOps) and Argo Rollouts.
    expect(config.services.catalog?.environments.production?.delivery).toMatchObject({ kind: 'gitops', repository: 'acme/deploy-config', format: 'kustomize', application: 'catalog-production', via: 'commit', syncTimeout: 120_000 });
    expect(config.services.search?.environments.production?.delivery).toEqual({ kind: 'argo-rollouts', rollout: 'search' });
    expect(config.services.api?.environments.production?.delivery).toEqual({ kind: 'kubernetes' });
    expect(config.sandbox?.services.api).toEqual({
      running: 'v1.4.0', versions: ['v1.3.0', 'v1.4.0', 'v1.5.0', 'v1.5.1', 'v1.5.2'], faulty: ['v1.5.1'],
      profiles: { 'v1.5.2': { errorRate: 0.08, p99Ms: 120, probeStatus: 200, silent: false } },
      unbuilt: ['v1.5.3', 'v1.6.0'], failingBuilds: ['v1.6.0'], unsigned: ['v1.5.2'], wronglySigned: ['v1.5.1'],
    });
    expect(config.services.api?.signature).toMatchObject({ kind: 'key', publicKeyPem: expect.stringContaining('-----BEGIN PUBLIC KEY-----') });
    expect(config.services.api?.build).toEqual({ workflow: 'build.yml' });
    expect(config.github.deployments).toBe(true);
    expect(config.services.web?.defaultStrategy).toBe('canary');
    expect(config.services.web?.canary).toEqual({ steps: [5, 25, 50, 100], hold: 20_000, traffic: { kind: 'replicas' } });
    expect(config.services.web?.analysis.checks.map((c) => [c.name, c.failAbove])).toEqual([['error-rate', 0.01], ['latency-p99', 800]]);
    expect(config.services.web?.probes).toEqual([{ path: '/healthz', expectStatus: 200, timeout: 2_000 }]);
    expect(config.services.api?.canary.traffic).toEqual({ kind: 'replicas' });
    expect(config.services.api?.analysis.failureLimit).toBe(1);
    expect(config.approvals.expireAfterMs).toBe(30 * 60_000);
    expect(config.services.api?.environments.staging?.progressDeadlineSeconds).toBe(60);
    expect(config.chat).toEqual({ botName: 'deckhand', console: { user: 'you' } });
    expect(config.runtime).toMatchObject({ port: 3000, logLevel: 'info' });
    expect(config.source).toBe(examplePath);
  });

  it('fills in defaults for what a minimal file leaves out', () => {
    const text = [
      'services:',
      '  api:',
      '    team: payments',
      '    repository: acme/api',
      '    image: registry.local/acme/api',
      "    versionPattern: '^v\\d+\\.\\d+\\.\\d+$'",
      '    environments:',
      '      staging: { namespace: staging, deployment: api, container: api, replicas: 1 }',
    ].join('\n');
    const result = loadConfigText(text, 'minimal.yaml', {});
    if (!result.ok) throw new Error(formatConfigProblems(result.problems));
    expect(result.config).toMatchObject({
      services: { api: { defaultStrategy: 'rolling', environments: { staging: { progressDeadlineSeconds: 600 } } } },
      groups: {},
      chat: { botName: 'deckhand', console: { user: 'you' } },
      approvals: { expireAfterMs: 1_800_000 },
      runtime: { port: 3000, logLevel: 'info', github: {} },
      source: 'minimal.yaml',
    });
    expect(result.config.sandbox).toBeUndefined();
  });

  it('returns a deeply frozen config', async () => {
    const result = await loadConfig({ path: examplePath, env: {} });
    if (!result.ok) throw new Error('expected ok');
    expect(Object.isFrozen(result.config)).toBe(true);
    expect(Object.isFrozen(result.config.services.api?.environments.production)).toBe(true);
    expect(Object.isFrozen(result.config.sandbox?.services.api?.versions)).toBe(true);
    expect(() => {
      (result.config.runtime as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it('finds the file through DECKHAND_CONFIG', async () => {
    const result = await loadConfig({ env: { DECKHAND_CONFIG: examplePath } });
    expect(result.ok).toBe(true);
  });

  it('says so when the file is missing, without throwing', async () => {
    const result = await loadConfig({ path: '/nonexistent/deckhand.yaml', env: {} });
    expect(result).toEqual({ ok: false, problems: [{ file: '/nonexistent/deckhand.yaml', message: 'config file not found (set DECKHAND_CONFIG or pass --config)' }] });
  });
});

describe('progressive delivery settings', () => {
  const base = [
    'services:', '  api:', '    team: payments', '    repository: acme/api', '    image: registry.local/acme/api', "    versionPattern: '^v.+$'",
    '    environments:', '      staging: { namespace: staging, deployment: api, container: api, replicas: 2 }',
  ];

  it('reads a canary on an HTTPRoute with its own checks', () => {
    const text = [...base,
      '    canary: { steps: [10, 50, 100], hold: 30s, traffic: { kind: httproute, route: api } }',
      '    analysis: { interval: 10s, failureLimit: 3, checks: [{ kind: prometheus, name: errors, query: up, failAbove: 0.5 }] }',
    ].join('\n');
    const r = loadConfigText(text, 'c.yaml', {});
    if (!r.ok) throw new Error(formatConfigProblems(r.problems));
    expect(r.config.services.api?.canary).toEqual({ steps: [10, 50, 100], hold: 30_000, traffic: { kind: 'httproute', route: 'api' } });
    expect(r.config.services.api?.analysis).toEqual({ interval: 10_000, failureLimit: 3, checks: [{ kind: 'prometheus', name: 'errors', query: 'up', failAbove: 0.5, unit: 'count' }] });
  });

  it('reports bad schedules, traffic kinds and profiles at their line', () => {
    const text = [...base,
      '    canary: { steps: [50, 20], traffic: { kind: mesh } }',
      'sandbox:', '  services:', '    api: { running: v1, versions: [v1], profiles: { v9: { errorRate: 2 } } }',
    ].join('\n');
    const r = loadConfigText(text, 'c.yaml', {});
    expect(r.ok).toBe(false);
    const lines = r.ok ? [] : formatConfigProblems(r.problems).split('\n');
    expect(lines).toEqual(expect.arrayContaining([
      expect.stringMatching(/^c\.yaml:9:\d+: services\.api\.canary\.steps: the last step must be 100/),
      expect.stringMatching(/^c\.yaml:9:\d+: services\.api\.canary\.steps: steps must increase/),
      expect.stringMatching(/^c\.yaml:9:\d+: services\.api\.canary\.traffic/),
      expect.stringMatching(/^c\.yaml:12:\d+: sandbox\.services\.api\.profiles\.v9\.errorRate/),
    ]));
  });
});
