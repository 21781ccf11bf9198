import { describe, expect, it } from 'vitest';
import { parseImageReference, registryBaseUrl } from '../../src/build/index.ts';

describe('parseImageReference', () => {
  it.each([
    ['registry.local/acme/api', { host: 'registry.local', name: 'acme/api' }],
    ['ghcr.io/acme/api:v1.5.0', { host: 'ghcr.io', name: 'acme/api' }],
    ['localhost:5000/api', { host: 'localhost:5000', name: 'api' }],
    ['127.0.0.1:5000/acme/api@sha256:abc', { host: '127.0.0.1:5000', name: 'acme/api' }],
    ['acme/api', { host: 'registry-1.docker.io', name: 'acme/api' }],
    ['nginx:1.25', { host: 'registry-1.docker.io', name: 'library/nginx' }],
  ])('%s', (image, expected) => {
    expect(parseImageReference(image)).toEqual(expected);
  });

  it.each([
    ['localhost:5000', 'http://localhost:5000'],
    ['127.0.0.1:5000', 'http://127.0.0.1:5000'],
    ['registry.local', 'https://registry.local'],
    ['ghcr.io', 'https://ghcr.io'],
  ])('reaches %s at %s', (host, url) => {
    expect(registryBaseUrl(host)).toBe(url);
  });
});
