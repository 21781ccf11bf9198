import { DeckhandError } from '../errors.ts';
import { parseImageReference, registryBaseUrl } from './parse-image-reference.ts';
import type { ImageChecker } from './ports.ts';

/** Registry credentials from the environment; never logged, never put in a message. */
export interface RegistryCredentials {
  username?: string;
  password?: string;
  /** A bearer token used as is (skips the token exchange). */
  token?: string;
}

export interface ImageCheckerOptions {
  credentials?: RegistryCredentials;
  /** Where a registry host is reached; default https (http for localhost). The sandbox points every host at its sim. */
  endpointFor?: (host: string) => string;
  fetch?: typeof fetch;
}

/** Every manifest kind a tag may name: multi-arch indexes and single manifests, OCI and Docker. */
const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** `Bearer realm="…",service="…",scope="…"` → its parts. */
function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const params: Record<string, string> = {};
  for (const m of header.slice(space + 1).matchAll(/(\w+)="([^"]*)"/g)) params[(m[1] ?? '').toLowerCase()] = m[2] ?? '';
  return { scheme, params };
}

/**
 * Checks images with the OCI distribution API: `HEAD /v2/<name>/manifests/<tag>` answers 200 when the tag is
 * there and 404 when not. A 401 is answered once per the registry's challenge — Basic with the credentials, or
 * the token flow (fetch a bearer token from the realm, with the credentials if any, for a pull scope).
 */
export function createImageChecker(o: ImageCheckerOptions = {}): ImageChecker {
  const doFetch = o.fetch ?? fetch;
  const creds = o.credentials ?? {};
  const basic = creds.username !== undefined && creds.password !== undefined
    ? `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`
    : undefined;
  /** Bearer tokens by realm and scope until shortly before they expire. */
  const tokens = new Map<string, { token: string; until: number }>();

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
    const res = await doFetch(url, { headers: basic ? { authorization: basic } : {} });
    if (!res.ok) throw new DeckhandError('registry_error', `The image registry refused a pull token (${res.status}). Check the registry credentials.`);
    const body = await res.json() as { token?: string; access_token?: string; expires_in?: number };
    const token = body.token ?? body.access_token;
    if (!token) throw new DeckhandError('registry_error', 'The image registry answered without a token.');
    tokens.set(key, { token, until: Date.now() + Math.max(30, (body.expires_in ?? 60) - 30) * 1000 });
    return token;
  }

  return {
    async imageExists(image, tag) {
      const { host, name } = parseImageReference(image);
      const base = (o.endpointFor ?? registryBaseUrl)(host).replace(/\/+$/, '');
      const url = `${base}/v2/${name}/manifests/${encodeURIComponent(tag)}`;
      const head = (authorization?: string): Promise<Response> => doFetch(url, {
        method: 'HEAD', headers: { accept: MANIFEST_TYPES, ...(authorization !== undefined && { authorization }) },
      }).catch((err: unknown) => { throw new DeckhandError('registry_error', `Deckhand could not reach the image registry ${host}.`, { cause: err }); });
      let res = await head(creds.token ? `Bearer ${creds.token}` : undefined);
      if (res.status === 401) {
        const { scheme, params } = parseChallenge(res.headers.get('www-authenticate') ?? '');
        if (scheme === 'basic' && basic) res = await head(basic);
        else if (scheme === 'bearer') res = await head(`Bearer ${await bearerFor(params, `repository:${name}:pull`)}`);
      }
      if (res.status === 200) return true;
      if (res.status === 404) return false;
      const hint = res.status === 401 || res.status === 403 ? ' Check the registry credentials (REGISTRY_USERNAME / REGISTRY_PASSWORD).' : '';
      throw new DeckhandError('registry_error', `The image registry ${host} answered ${res.status} for ${name}:${tag}.${hint}`);
    },
  };
}
