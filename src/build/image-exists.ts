import { createRegistryClient, type RegistryClient, type RegistryClientOptions } from './registry-client.ts';
import type { ImageChecker } from './ports.ts';

export type { RegistryCredentials } from './registry-client.ts';
export type ImageCheckerOptions = RegistryClientOptions;

/**
 * Checks images with the OCI distribution API: `HEAD /v2/<name>/manifests/<tag>` answers 200 when the tag is
 * there and 404 when not (credentials and token flow: registry-client.ts).
 */
export function createImageChecker(o: ImageCheckerOptions | { client: RegistryClient } = {}): ImageChecker {
  const client = 'client' in o ? o.client : createRegistryClient(o);
  return {
    async imageExists(image, tag) {
      return (await client.headManifest(image, tag)) !== undefined;
    },
  };
}
