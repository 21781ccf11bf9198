import { createHash } from 'node:crypto';
import { DeckhandError } from '../errors.ts';
import { parseImageReference, registryBaseUrl } from './parse-image-reference.ts';

/** Registry credentials from the environment; never logged, never put in a message. */
export interface RegistryCredentials {
  username?: string;
  password?: string;
  /** A bearer token used as is (skips the token exchange). */
  token?: string;
}

export interface RegistryClientOptions {
  credentials?: RegistryCredentials;
  /** Where a registry host is reached; default https (http for localhost). The sandbox points every host at its sim. */
  endpointFor?: (host: string) => string;
  fetch?: typeof fetch;
  /** Per request (default 10 s): a registry that does not answer fails the read instead of holding a gate up. */
  timeoutMs?: number;
}

/** Every manifest kind a tag may name: multi-arch indexes and single manifests, OCI and Docker. */
export const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** A manifest as the registry served it: its bytes are what its digest is the hash of. */
export interface FetchedManifest {
  digest: string;
  mediaType: string;
  bytes: Buffer;
}

/**
 * The OCI distribution API as Deckhand reads it: manifests (HEAD and GET, by tag or digest) and blobs by digest.
 * Every call answers one 401 per the registry's challenge — Basic with the credentials, or the token flow (a bearer
 * token from the realm for a pull scope, cached until shortly before it expires).
 */
export interface RegistryClient {
  /** The manifest's digest and status (HEAD): undefined when the registry has no such tag or digest. */
  headManifest(image: string, reference: string): Promise<{ digest: string | undefined } | undefined>;
  /** The manifest's bytes (GET), its digest checked against them; undefined when absent. */
  getManifest(image: string, reference: string): Promise<FetchedManifest | undefined>;
  /** A blob's bytes, checked against its digest; undefined when absent. */
  getBlob(image: string, digest: string): Promise<Buffer | undefined>;
  /**
   * The manifests that refer to `digest` (OCI referrers API), filtered by artifact type; undefined when the registry
   * has no referrers API (404, 400 or 405), so the caller falls back to the referrers tag `sha256-<hex>`.
   */
  getReferrers(image: string, digest: string, artifactType?: string): Promise<OciDescriptor[] | undefined>;
}

/** An OCI content descriptor, as an index or manifest lists one. */
export interface OciDescriptor {
  mediaType?: string;
  digest?: string;
  size?: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

/** `Bearer realm="…",service="…",scope="…"` → its parts. */
function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const params: Record<string, string> = {};
  for (const m of header.slice(space + 1).matchAll(/(\w+)="([^"]*)"/g)) params[(m[1] ?? '').toLowerCase()] = m[2] ?? '';
  return { scheme, params };
}

/** `sha256:<hex>` of some bytes, the way registries name content. */
export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export function createRegistryClient(o: RegistryClientOptions = {}): RegistryClient {
  const doFetch = o.fetch ?? fetch;
  const creds = o.credentials ?? {};
  const basic = creds.username !== undefined && creds.password !== undefined
    ? `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`
    : undefined;
  /** Bearer tokens by realm and scope until shortly before they expire. */
  const tokens = new Map<string, { token: string; until: number }>();
  /** The Authorization header that last worked, by registry host and repository (a stale one just costs a 401). */
  const authFor = new Map<string, string>();

  async function bearerFor(params: Record<string, string>, fallbackScope: string): Promise<string> {
    if (creds.token) return creds.token;
    const realm = params.realm;
    if (!realm) throw new DeckhandError('registry_error', 'The image registry asked for a token without saying where to get one.');
    const url = new URL(realm);
    if (params.service) url.searchParams.set('service', params.service);
    url.searchParams.set('scope', params.scope ?? fallbackScope);
    const key = url.toString();
    const cached = tokens.get(key);
    if (cached && cached.until > Date.now()) return cached.token;
    const res = await doFetch(url, { headers: basic ? { authorization: basic } : {}, signal: AbortSignal.timeout(o.timeoutMs ?? 10_000) });
    if (!res.ok) throw new DeckhandError('registry_error', `The image registry refused a pull token (${res.status}). Check the registry credentials.`);
    const body = await res.json() as { token?: string; access_token?: string; expires_in?: number };
    const token = body.token ?? body.access_token;
    if (!token) throw new DeckhandError('registry_error', 'The image registry answered without a token.');
    tokens.set(key, { token, until: Date.now() + Math.max(30, (body.expires_in ?? 60) - 30) * 1000 });
    return token;
  }

  /** One request, answering the registry's challenge once. 404 (or another `absent` status) → undefined; other failures are coded errors. */
  async function request(image: string, path: string, method: 'HEAD' | 'GET', accept: string | undefined, what: string, absent: readonly number[] = [404]): Promise<Response | undefined> {
    const { host, name } = parseImageReference(image);
    const base = (o.endpointFor ?? registryBaseUrl)(host).replace(/\/+$/, '');
    const url = `${base}/v2/${name}/${path}`;
    const send = (authorization?: string): Promise<Response> => doFetch(url, {
      method, headers: { ...(accept !== undefined && { accept }), ...(authorization !== undefined && { authorization }) },
      signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
    }).catch((err: unknown) => { throw new DeckhandError('registry_error', `Deckhand could not reach the image registry ${host}.`, { cause: err }); });
    // The authorization that last worked for this repository goes first: one request per read instead of a 401 and a retry.
    const scopeKey = `${host}/${name}`;
    const known = authFor.get(scopeKey);
    let res = await send(known ?? (creds.token ? `Bearer ${creds.token}` : undefined));
    if (res.status === 401) {
      const { scheme, params } = parseChallenge(res.headers.get('www-authenticate') ?? '');
      let answer: string | undefined;
      if (scheme === 'basic' && basic) answer = basic;
      else if (scheme === 'bearer') answer = `Bearer ${await bearerFor(params, `repository:${name}:pull`)}`;
      if (answer !== undefined) {
        res = await send(answer);
        if (res.status !== 401) authFor.set(scopeKey, answer);
      }
    }
    if (res.status === 200) return res;
    if (absent.includes(res.status)) return undefined;
    const hint = res.status === 401 || res.status === 403 ? ' Check the registry credentials (REGISTRY_USERNAME / REGISTRY_PASSWORD).' : '';
    throw new DeckhandError('registry_error', `The image registry ${host} answered ${res.status} for ${name}${what}.${hint}`);
  }

  const at = (reference: string): string => (reference.includes(':') ? `@${reference}` : `:${reference}`);
  /** A tag or digest in a URL path: `sha256:<hex>` keeps its colon, as registries and their clients write it. */
  const inPath = (reference: string): string => encodeURIComponent(reference).replace(/%3A/gi, ':');

  return {
    async headManifest(image, reference) {
      const res = await request(image, `manifests/${inPath(reference)}`, 'HEAD', MANIFEST_TYPES, at(reference));
      return res && { digest: res.headers.get('docker-content-digest') ?? undefined };
    },
    async getManifest(image, reference) {
      const res = await request(image, `manifests/${inPath(reference)}`, 'GET', MANIFEST_TYPES, at(reference));
      if (!res) return undefined;
      const bytes = Buffer.from(await res.arrayBuffer());
      // The digest is the hash of the bytes served: a registry (or a proxy) cannot name one manifest and serve another.
      const digest = sha256Digest(bytes);
      const claimed = res.headers.get('docker-content-digest');
      if ((claimed && claimed !== digest) || (reference.startsWith('sha256:') && reference !== digest)) {
        throw new DeckhandError('registry_error', `The image registry served a manifest for ${parseImageReference(image).name}${at(reference)} whose content does not match its digest.`);
      }
      return { digest, mediaType: (res.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '', bytes };
    },
    async getReferrers(image, digest, artifactType) {
      const query = artifactType ? `?artifactType=${encodeURIComponent(artifactType)}` : '';
      // Registries without the API answer 404, some 400 or 405: either way there is no referrers API to ask.
      const res = await request(image, `referrers/${inPath(digest)}${query}`, 'GET', 'application/vnd.oci.image.index.v1+json', `@${digest} (referrers)`, [404, 400, 405]);
      if (!res) return undefined;
      const index = await res.json() as { manifests?: OciDescriptor[] };
      const all = index.manifests ?? [];
      // A registry may ignore the filter (it then omits the OCI-Filters-Applied header): filter here too.
      return artifactType ? all.filter((m) => m.artifactType === artifactType) : all;
    },
    async getBlob(image, digest) {
      const res = await request(image, `blobs/${inPath(digest)}`, 'GET', undefined, `@${digest}`);
      if (!res) return undefined;
      const bytes = Buffer.from(await res.arrayBuffer());
      if (sha256Digest(bytes) !== digest) throw new DeckhandError('registry_error', `The image registry served a blob whose content does not match its digest ${digest}.`);
      return bytes;
    },
  };
}
