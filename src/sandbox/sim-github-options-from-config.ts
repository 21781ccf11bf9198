import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { defaultConfigRepo, signImageWithKey, simReposFor, type SimGitHubOptions, type SimImageSigner } from '@deckhand/sim/github';
import type { ConfigFile } from '../config/index.ts';
import { configRepositoriesOf } from './argo-cd-from-config.ts';

/**
 * The simulated GitHub for a config's sandbox: each sandbox service's repository with its `versions` built,
 * its `unbuilt` tags waiting for a build and its `failingBuilds` failing; builds take `sandbox.buildDelayMs`. With
 * `sandbox.signingKey`, every image pushed (seeded or built) is signed with that test key as a CI would with cosign,
 * except a service's `unsigned` versions, and its `wronglySigned` ones are signed with a throwaway key instead.
 */
export function simGitHubOptionsFromConfig(config: Pick<ConfigFile, 'services' | 'sandbox'> & { source?: string }): SimGitHubOptions {
  const services = Object.entries(config.sandbox?.services ?? {}).flatMap(([name, sim]) => {
    const service = config.services[name];
    // A service on GitLab has its project on the simulated GitLab (simGitLabOptionsFromConfig), not here.
    return service && !service.repository.startsWith('gitlab:') ? [{ repository: service.repository, built: sim.versions, unbuilt: sim.unbuilt, failing: sim.failingBuilds }] : [];
  });
  // Each GitOps environment's config repository holds the example apps Argo CD syncs (one per way it renders).
  return { repos: [...simReposFor(services), ...configRepositoriesOf(config).map((repo) => defaultConfigRepo(repo))], buildDelayMs: config.sandbox?.buildDelayMs ?? 3000, signer: sandboxSigner(config) };
}

function sandboxSigner(config: Pick<ConfigFile, 'services' | 'sandbox'> & { source?: string }): SimImageSigner | undefined {
  const keyFile = config.sandbox?.signingKey;
  if (keyFile === undefined) return undefined;
  // Relative to the config file, like the keys it names (else to the working directory).
  const beside = config.source ? resolve(dirname(resolve(config.source)), keyFile) : undefined;
  const key = readFileSync(beside !== undefined && existsSync(beside) ? beside : resolve(keyFile), 'utf8');
  const wrongKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  // The registry names images by repository (`acme/api`); the signature names the image as deployed.
  const byRepository = new Map(Object.entries(config.sandbox?.services ?? {}).flatMap(([name, sim]) => {
    const service = config.services[name];
    return service ? [[service.repository, { image: service.image, sim }] as const] : [];
  }));
  return ({ repository, tag, digest }) => {
    const found = byRepository.get(repository);
    if (!found || found.sim.unsigned.includes(tag)) return [];
    const signingKey = found.sim.wronglySigned.includes(tag) ? wrongKey : key;
    return [signImageWithKey(signingKey, { dockerReference: found.image, digest })];
  };
}
