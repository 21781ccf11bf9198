import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { gitLabSandboxServices, simGitHubOptionsFromConfig, simGitLabOptionsFromConfig } from '../../src/sandbox/index.ts';

describe('the sandbox\'s simulated GitLab, from the example deckhand.yaml', () => {
  it('seeds the billing project with its versions and unbuilt tags, its failing pipeline, and keeps it off the simulated GitHub', async () => {
    const r = await loadConfig({ path: 'deckhand.yaml', env: {} });
    if (!r.ok) throw new Error('example config does not load');

    expect(gitLabSandboxServices(r.config)).toEqual([{ project: 'acme/billing', built: ['v3.0.0', 'v3.1.0'], unbuilt: ['v3.1.1', 'v3.2.0'], failing: ['v3.2.0'] }]);
    const o = simGitLabOptionsFromConfig(r.config);
    expect(o.buildDelayMs).toBe(3000);
    expect(o.projects?.map((p) => [p.path, p.failing, p.history.flatMap((h) => (h.kind === 'tag' ? [h.name] : []))])).toEqual([
      ['acme/billing', ['v3.2.0'], ['v3.0.0', 'v3.1.0', 'v3.1.1', 'v3.2.0']],
    ]);
    expect(simGitHubOptionsFromConfig(r.config).repos?.map((x) => x.fullName)).not.toContain('gitlab:acme/billing');
  });
});
