import { Ajv } from 'ajv';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/index.ts';
import { readChartFile, readValues, ROOT } from './chart.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The same draft (07) Helm validates values.schema.json with; allErrors so a failure names every problem.
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const validate = ajv.compile(JSON.parse(readChartFile('values.schema.json')) as object);

/** values.yaml with one change at a dotted path (`redis.mode`), as `--set` would make it. */
function valuesWith(path: string, value: unknown): Record<string, unknown> {
  const values = structuredClone(readValues());
  const keys = path.split('.');
  let node = values as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys.at(-1) as string] = value;
  return values;
}

describe('values.schema.json', () => {
  it('accepts values.yaml as shipped', () => {
    const ok = validate(readValues());
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it.each([
    ['a misspelt top-level key', 'replicas', 2],
    ['a negative replica count', 'replicaCount', -1],
    ['a privileged port', 'port', 80],
    ['a number for an image tag (YAML turns 1.10 into 1.1)', 'image.tag', 1.1],
    ['an unknown Redis mode', 'redis.mode', 'sentinel'],
    ['a Redis URL with a password in values', 'redis.external.url', 'redis://:hunter2@redis:6379'],
    ['an fsync policy that loses writes', 'redis.bundled.appendfsync', 'no'],
    ['a namespace that is not a DNS label', 'rbac.namespaces', ['Prod_NS']],
    ['a namespace listed twice', 'rbac.namespaces', ['staging', 'staging']],
    ['root', 'podSecurity.runAsUser', 0],
    ['a secret as a plain env var', 'extraEnv', [{ name: 'GITHUB_TOKEN', value: 'ghp_x' }]],
    ['a policy file that is not Rego or JSON', 'policies.files', { 'run.sh': 'echo' }],
    ['an unknown log level', 'logLevel', 'verbose'],
    ['an ingress path without a slash', 'ingress.hosts', [{ host: 'x', paths: [{ path: 'api', pathType: 'Prefix' }] }]],
    ['a config with no services', 'config', { groups: {} }],
    ['a misspelt key in a nested block', 'opa', { enable: true }],
  ])('rejects %s', (_, path, value) => {
    expect(validate(valuesWith(path, value))).toBe(false);
  });

  it('accepts the documented alternatives', () => {
    for (const [path, value] of [
      ['redis', { mode: 'external', external: { url: 'rediss://redis.example.com:6380/0' } }],
      ['opa.enabled', true],
      ['rbac.progressiveDelivery', true],
      ['podDisruptionBudget.maxUnavailable', '50%'],
      ['existingSecret', 'deckhand-secrets'],
      ['policies.files', { 'data.json': '{}' }],
    ] as const) {
      expect(validate(valuesWith(path, value)), `${path}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    }
  });
});

describe('values.yaml', () => {
  it("has a default deckhand.yaml that Deckhand's own config loader accepts", () => {
    const config = readValues().config;
    const result = loadConfigText(stringify(config), 'helm/deckhand/values.yaml#config', {});
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it('names only namespaces in rbac.namespaces that the default config deploys to, and covers all of them', () => {
    const values = readValues() as { config: { services: Record<string, { environments: Record<string, { namespace: string }> }> }; rbac: { namespaces: string[] } };
    const used = new Set(Object.values(values.config.services).flatMap((s) => Object.values(s.environments).map((e) => e.namespace)));
    expect(new Set(values.rbac.namespaces)).toEqual(used);
  });
});

describe('Chart.yaml', () => {
  it('is a v2 application chart whose appVersion is the package version', () => {
    const chart = parse(readChartFile('Chart.yaml')) as Record<string, unknown>;
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(chart).toMatchObject({ apiVersion: 'v2', name: 'deckhand', type: 'application', appVersion: pkg.version });
    expect(chart.version).toMatch(/^\d+\.\d+\.\d+(-[\w.]+)?$/);
  });
});
