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
    for (const service of Object.values(config.services)) {
      expect(Object.keys(service.environments)).toEqual(expect.arrayContaining(['staging', 'production']));
    }
    expect(config.sandbox?.services.api).toEqual({ running: 'v1.4.0', versions: ['v1.3.0', 'v1.4.0', 'v1.5.0', 'v1.5.1'], faulty: ['v1.5.1'] });
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
