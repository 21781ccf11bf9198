import { createHash } from 'node:crypto';
import type { Reply } from './rest-routes.ts';
import type { SimGitHubState } from './sim-state.ts';

/**
 * How the simulated registry asks for credentials: not at all, HTTP Basic, or the Docker token flow (a 401 with
 * `WWW-Authenticate: Bearer realm=…/token` that the client answers by fetching a token with its Basic credentials).
 */
export type RegistryAuth = { kind: 'none' } | { kind: 'basic' | 'bearer'; username: string; password: string };

const INDEX_TYPE = 'application/vnd.oci.image.index.v1+json';
const TOKEN = 'sim-registry-token';

function unauthorized(auth: RegistryAuth, apiUrl: string, scope: string): Reply {
  const challenge = auth.kind === 'bearer' ? `Bearer realm="${apiUrl}/token",service="sim-registry",scope="${scope}"` : 'Basic realm="sim-registry"';
  return { status: 401, headers: { 'www-authenticate': challenge, 'docker-distribution-api-version': 'registry/2.0' }, body: { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] } };
}

function basicOk(auth: RegistryAuth & { kind: 'basic' | 'bearer' }, header: string | undefined): boolean {
  if (!header?.startsWith('Basic ')) return false;
  return Buffer.from(header.slice(6), 'base64').toString('utf8') === `${auth.username}:${auth.password}`;
}

/** The OCI distribution endpoints the image check needs: `/v2/`, manifests by tag, and the token realm. */
export function routeRegistry(state: SimGitHubState, auth: RegistryAuth, apiUrl: string, method: string, path: string, authorization: string | undefined): Reply | undefined {
  if (path === '/token') {
    if (auth.kind !== 'bearer' || !basicOk(auth, authorization)) return { status: 401, body: { errors: [{ code: 'UNAUTHORIZED' }] } };
    return { status: 200, body: { token: TOKEN, access_token: TOKEN, expires_in: 300 } };
  }
  if (!path.startsWith('/v2/')) return undefined;
  const m = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(path);
  const scope = m ? `repository:${m[1]}:pull` : 'registry:catalog:*';
  const authorized = auth.kind === 'none' || (auth.kind === 'basic' ? basicOk(auth, authorization) : authorization === `Bearer ${TOKEN}`);
  if (!authorized) return unauthorized(auth, apiUrl, scope);
  if (path === '/v2/') return { status: 200, body: {}, headers: { 'docker-distribution-api-version': 'registry/2.0' } };
  if (!m || (method !== 'HEAD' && method !== 'GET')) return { status: 404, body: { errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry' }] } };
  const image = `${decodeURIComponent(m[1] ?? '')}:${decodeURIComponent(m[2] ?? '')}`;
  if (!state.images.has(image)) return { status: 404, body: { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown', detail: { Tag: m[2] } }] } };
  const manifest = { schemaVersion: 2, mediaType: INDEX_TYPE, manifests: [] };
  const digest = `sha256:${createHash('sha256').update(image).digest('hex')}`;
  return { status: 200, body: manifest, headers: { 'content-type': INDEX_TYPE, 'docker-content-digest': digest, 'docker-distribution-api-version': 'registry/2.0' } };
}
