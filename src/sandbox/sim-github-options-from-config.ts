import { simReposFor, type SimGitHubOptions } from '@deckhand/sim/github';
import type { ConfigFile } from '../config/index.ts';

/**
 * The simulated GitHub for a config's sandbox: each sandbox service's repository with its `versions` built,
 * its `unbuilt` tags waiting for a build and its `failingBuilds` failing; builds take `sandbox.buildDelayMs`.
 */
export function simGitHubOptionsFromConfig(config: Pick<ConfigFile, 'services' | 'sandbox'>): SimGitHubOptions {
  const services = Object.entries(config.sandbox?.services ?? {}).flatMap(([name, sim]) => {
    const service = config.services[name];
    return service ? [{ repository: service.repository, built: sim.versions, unbuilt: sim.unbuilt, failing: sim.failingBuilds }] : [];
  });
  return { repos: simReposFor(services), buildDelayMs: config.sandbox?.buildDelayMs ?? 3000 };
}
