import { describe, expect, it } from 'vitest';
import { formatConfigProblems, loadConfigText } from '../../src/config/index.ts';
import { serviceYaml } from './service-yaml.ts';

function load(text: string, env: Record<string, string> = {}) {
  return loadConfigText(text, 'deckhand.yaml', env);
}

function problems(text: string, env: Record<string, string> = {}): string {
  const r = load(text, env);
  if (r.ok) throw new Error('expected problems');
  return formatConfigProblems(r.problems);
}

describe('GitHub builds, deployments and registry settings', () => {
  it('reads a service build workflow and the github section with its defaults', () => {
    const r = load(serviceYaml('    build: { workflow: build.yml, inputs: { version: "{version}" } }\ngithub:\n  builds: { pollInterval: 10s }\n'));
    if (!r.ok) throw new Error(formatConfigProblems(r.problems));
    expect(r.config.services.api?.build).toEqual({ workflow: 'build.yml', inputs: { version: '{version}' } });
    expect(r.config.github).toEqual({ deployments: true, builds: { pollInterval: 10_000, maxPollInterval: 30_000, timeout: 3_600_000 }, releaseNotes: { maxItems: 8 } });
  });

  it('defaults the github section when absent', () => {
    const r = load(serviceYaml());
    expect(r.ok && r.config.github.deployments).toBe(true);
    expect(r.ok && r.config.services.api?.build).toBeUndefined();
  });

  it.each([
    ['a workflow that is not a file name', '    build: { workflow: .github/workflows/build.yml }\n', 'must be a workflow file name like `build.yml`'],
    ['a misspelt build key', '    build: { workflwo: build.yml }\n', 'workflwo'],
    ['a bad poll interval', 'github:\n  builds: { pollInterval: often }\n', 'expected a duration like 30m, 1h or 90s'],
  ])('reports %s', (_what, extra, message) => {
    expect(problems(serviceYaml(extra))).toContain(message);
  });

  it('reads registry credentials and the webhook secret from the environment, never echoing them', () => {
    const r = load(serviceYaml(), { REGISTRY_USERNAME: 'deckhand', REGISTRY_PASSWORD: 'hunter2', GITHUB_WEBHOOK_SECRET: 'whsec' });
    if (!r.ok) throw new Error(formatConfigProblems(r.problems));
    expect(r.config.runtime.registry).toEqual({ username: 'deckhand', password: 'hunter2', token: undefined });
    expect(r.config.runtime.github.webhookSecret).toBe('whsec');

    const text = problems(serviceYaml(), { REGISTRY_PASSWORD: 'hunter2' });
    expect(text).toContain('REGISTRY_USERNAME and REGISTRY_PASSWORD go together');
    expect(text).not.toContain('hunter2');
  });

  it('checks sandbox unbuilt tags and failing builds against the service', () => {
    const sandbox = (s: string) => serviceYaml(`sandbox:\n  services:\n    api: { running: v1.4.0, versions: [v1.4.0, v1.5.0], ${s} }\n`);
    const ok = load(sandbox('unbuilt: [v1.5.2, v1.6.0], failingBuilds: [v1.6.0]'));
    expect(ok.ok && ok.config.sandbox?.services.api).toMatchObject({ unbuilt: ['v1.5.2', 'v1.6.0'], failingBuilds: ['v1.6.0'] });

    const text = problems(sandbox('unbuilt: [v1.5.0, latest], failingBuilds: [v1.4.0]'));
    expect(text).toContain('`v1.5.0` is also listed in versions');
    expect(text).toContain('`latest` does not match the versionPattern of api');
    expect(text).toContain('`v1.4.0` is not listed in unbuilt');
  });
});
