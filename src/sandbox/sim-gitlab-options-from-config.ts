import { simGitLabProjectsFor, type SimGitLabOptions } from '@deckhand/sim/gitlab';
import type { ConfigFile } from '../config/index.ts';

/** The sandbox services on GitLab (`repository: gitlab:group/name`): their project path and sandbox versions. */
export function gitLabSandboxServices(config: Pick<ConfigFile, 'services' | 'sandbox'>): { project: string; built: string[]; unbuilt: string[]; failing: string[] }[] {
  return Object.entries(config.sandbox?.services ?? {}).flatMap(([name, sim]) => {
    const repository = config.services[name]?.repository;
    if (!repository?.startsWith('gitlab:')) return [];
    return [{ project: repository.slice('gitlab:'.length), built: [...sim.versions], unbuilt: [...sim.unbuilt], failing: [...sim.failingBuilds] }];
  });
}

/**
 * The simulated GitLab for a config's sandbox: each GitLab service's project tagged with its `versions` and
 * `unbuilt` tags, the `failingBuilds` failing their pipeline; pipelines take `sandbox.buildDelayMs`. Where the
 * images go (the simulated registry) is the caller's `pushImage`; so are the `versions` already built.
 */
export function simGitLabOptionsFromConfig(config: Pick<ConfigFile, 'services' | 'sandbox'>): Omit<SimGitLabOptions, 'pushImage'> {
  const projects = simGitLabProjectsFor(gitLabSandboxServices(config).map((s) => ({ project: s.project, versions: [...s.built, ...s.unbuilt], failing: s.failing })));
  return { projects, buildDelayMs: config.sandbox?.buildDelayMs ?? 3000 };
}
