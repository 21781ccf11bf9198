import type { IncomingMessage } from 'node:http';
import { DeployId } from '../deploy/index.ts';
import { checkBearerToken } from './check-bearer-token.ts';
import { HttpError } from './http-error.ts';
import type { AuditSource, DeploySource } from './types.ts';

/** The read-only API: a bearer token and the stores it reads (main.ts passes DeployStore and AuditLog). */
export interface ApiOptions {
  token: string;
  deploys: DeploySource;
  audit: AuditSource;
}

const NAME = /^[a-z][a-z0-9-]{0,62}$/;
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

/**
 * Answers `/api/deploys`, `/api/deploys/:id` and `/api/audit` with the JSON body to send. The token is checked
 * before anything else, so an unauthenticated caller learns nothing, not even which paths exist under /api.
 */
export async function serveApi(req: IncomingMessage, url: URL, api: ApiOptions): Promise<unknown> {
  if (!checkBearerToken(req.headers.authorization, api.token)) {
    throw new HttpError('unauthorized', 'A valid bearer token is required: `Authorization: Bearer <token>`.', { 'www-authenticate': 'Bearer realm="deckhand"' });
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    throw new HttpError('method_not_allowed', 'The API is read-only: use GET.', { allow: 'GET, HEAD' });
  }
  const q = url.searchParams;
  if (url.pathname === '/api/deploys') {
    const deploys = await api.deploys.list({ service: readName(q, 'service'), env: readName(q, 'env'), limit: readLimit(q) });
    return { deploys };
  }
  const byId = /^\/api\/deploys\/([^/]+)$/.exec(url.pathname);
  if (byId?.[1] !== undefined) {
    const id = byId[1];
    // An id that cannot exist is a 404 like a missing one: the store is never asked about arbitrary strings, and
    // the message does not echo them.
    if (!DeployId.safeParse(id).success) throw new HttpError('not_found', 'There is no deploy with that id; ids are whole numbers, like 12.');
    const deploy = await api.deploys.get(id);
    if (deploy === undefined || deploy === null) throw new HttpError('not_found', `There is no deploy #${id}.`);
    return { deploy };
  }
  if (url.pathname === '/api/audit') {
    const deployId = q.get('deploy') ?? undefined;
    if (deployId !== undefined && !DeployId.safeParse(deployId).success) throw new HttpError('bad_request', '`deploy` must be a deploy id, like 12.');
    return { events: await readAudit(api.audit, { limit: readLimit(q), sinceMs: readSince(q), deployId }) };
  }
  throw new HttpError('not_found', `No API route ${url.pathname}. Try /api/deploys, /api/deploys/<id> or /api/audit.`);
}

/** Newest first by default; with `since`, oldest first from then on (an export in pages). */
async function readAudit(audit: AuditSource, q: { limit: number; sinceMs?: number; deployId?: string }): Promise<readonly unknown[]> {
  if (q.sinceMs === undefined) return audit.latest(q.limit, q.deployId);
  if (q.deployId === undefined) return audit.read({ sinceMs: q.sinceMs, count: q.limit });
  // The stream is not indexed by deploy: read a wider window and filter, as AuditLog.latest does.
  const rows = await audit.read({ sinceMs: q.sinceMs, count: q.limit * 20 });
  return rows.filter((r) => typeof r === 'object' && r !== null && (r as { deployId?: unknown }).deployId === q.deployId).slice(0, q.limit);
}

function readName(q: URLSearchParams, key: string): string | undefined {
  const v = q.get(key);
  if (v === null) return undefined;
  if (!NAME.test(v)) throw new HttpError('bad_request', `\`${key}\` must be lowercase letters, digits and dashes, like \`api\`.`);
  return v;
}

function readLimit(q: URLSearchParams): number {
  const v = q.get('limit');
  if (v === null) return DEFAULT_LIMIT;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < 1 || n > MAX_LIMIT) throw new HttpError('bad_request', `\`limit\` must be a whole number from 1 to ${MAX_LIMIT}.`);
  return n;
}

/** `since` is an ISO-8601 time or epoch milliseconds. */
function readSince(q: URLSearchParams): number | undefined {
  const v = q.get('since');
  if (v === null) return undefined;
  const ms = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(ms)) throw new HttpError('bad_request', '`since` must be an ISO-8601 time (2026-01-31T12:00:00Z) or epoch milliseconds.');
  return ms;
}
