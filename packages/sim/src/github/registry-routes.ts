import type { Reply } from './replies.ts';
import type { SimGitHubState } from './sim-state.ts';

/**
 * How the simulated registry asks for credentials: not at all, HTTP Basic, or the Docker token flow (a 401 with
 * `WWW-Authenticate: Bearer realm=…/token` that the client answers by fetching a token with its Basic credentials).
 */
export type RegistryAuth = { kind: 'none' } | { kind: 'basic' | 'bearer'; username: string; password: string };

const TOKEN = 'sim-registry-token';

function unauthorized(auth: RegistryAuth, apiUrl: string, scope: string): Reply {
  const challenge = auth.kind === 'bearer' ? `Bearer realm="${apiUrl}/token",service="sim-registry",scope="${scope}"` : 'Basic realm="sim-registry"';
  return { status: 401, headers: { 'www-authenticate': challenge, 'docker-distribution-api-version': 'registry/2.0' }, body: { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] } };
}

function basicOk(auth: RegistryAuth & { kind: 'basic' | 'bearer' }, header: string | undefined): boolean {
  if (!header?.startsWith('Basic ')) return false;
  return Buffer.from(header.slice(6), 'base64').toString('utf8') === `${auth.username}:${auth.password}`;
}

/**
 * The OCI distribution endpoints Deckhand reads: `/v2/`, manifests by tag or digest (HEAD and GET, with
 * `Docker-Content-Digest` the hash of the bytes served), blobs by digest, the OCI 1.1 referrers API (or a 404 for it,
 * as registries without one answer, with `referrersApi: false`), and the token realm. cosign's `.sig` tags and the
 * referrers tags `sha256-<hex>` are ordinary tags of the repository.
 */
export function routeRegistry(state: SimGitHubState, auth: RegistryAuth, apiUrl: string, method: string, path: string, authorization: string | undefined, o: { referrersApi?: boolean; query?: URLSearchParams } = {}): Reply | undefined {
  if (path === '/token') {
    if (auth.kind !== 'bearer' || !basicOk(auth, authorization)) return { status: 401, body: { errors: [{ code: 'UNAUTHORIZED' }] } };
    return { status: 200, body: { token: TOKEN, access_token: TOKEN, expires_in: 300 } };
  }
  if (!path.startsWith('/v2/')) return undefined;
  const m = /^\/v2\/(.+)\/(manifests|blobs|referrers)\/([^/]+)$/.exec(path);
  const scope = m ? `repository:${m[1]}:pull` : 'registry:catalog:*';
  const authorized = auth.kind === 'none' || (auth.kind === 'basic' ? basicOk(auth, authorization) : authorization === `Bearer ${TOKEN}`);
  if (!authorized) return unauthorized(auth, apiUrl, scope);
  const api = { 'docker-distribution-api-version': 'registry/2.0' };
  if (path === '/v2/') return { status: 200, body: {}, headers: api };
  if (!m || (method !== 'HEAD' && method !== 'GET')) return { status: 404, body: { errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry' }] } };
  const name = decodeURIComponent(m[1] ?? '');
  const reference = decodeURIComponent(m[3] ?? '');
  if (m[2] === 'referrers') {
    // A registry without the referrers API answers 404, and clients fall back to the referrers tag.
    if (o.referrersApi === false || method !== 'GET') return { status: 404, body: { errors: [{ code: 'NAME_UNKNOWN', message: 'referrers API not supported' }] } };
    const artifactType = o.query?.get('artifactType') ?? undefined;
    const index = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: state.registry.referrers(reference, artifactType) };
    return { status: 200, raw: Buffer.from(JSON.stringify(index)), headers: { ...api, 'content-type': 'application/vnd.oci.image.index.v1+json', ...(artifactType !== undefined && { 'oci-filters-applied': 'artifactType' }) } };
  }
  if (m[2] === 'blobs') {
    const blob = state.registry.blob(reference);
    if (!blob) return { status: 404, body: { errors: [{ code: 'BLOB_UNKNOWN', message: 'blob unknown to registry', detail: { digest: reference } }] } };
    return { status: 200, raw: blob, headers: { ...api, 'content-type': 'application/octet-stream', 'docker-content-digest': reference } };
  }
  // A name added to `images` without a push (older tests do) gets its manifest on first read.
  if (!reference.startsWith('sha256:') && state.images.has(`${name}:${reference}`) && !state.registry.digestOf(name, reference)) state.registry.push(name, reference);
  const found = state.registry.manifest(name, reference);
  const tagged = reference.startsWith('sha256') || state.images.has(`${name}:${reference}`);
  if (!found || !tagged) return { status: 404, body: { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown', detail: { Tag: reference } }] } };
  return { status: 200, raw: found.bytes, headers: { ...api, 'content-type': found.mediaType, 'docker-content-digest': found.digest } };
}
