import { KubeApiError } from './api-error.ts';
import type { KubeObject } from './kube-types.ts';

/** One page of a list and what the list metadata says about the rest. */
export interface ListPage {
  items: KubeObject[];
  continue?: string;
  remainingItemCount?: number;
}

/**
 * `limit` / `continue` paging. The token remembers the last key handed out; the next page starts after it in
 * key order. Unlike etcd the later pages read the current state, not a snapshot at the first page's
 * resourceVersion — enough for clients that page through a list they then watch.
 */
export function pageOf(items: KubeObject[], query: URLSearchParams): ListPage {
  const keyOf = (obj: KubeObject) => `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
  let remaining = items;
  const token = query.get('continue');
  if (token) {
    let after: string;
    try {
      after = (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after: string }).after;
    } catch {
      throw new KubeApiError({ message: 'continue key is not valid: illegal base64 data', reason: 'BadRequest', code: 400 });
    }
    remaining = items.filter((obj) => keyOf(obj) > after);
  }
  const limit = Number(query.get('limit') ?? '0');
  if (!Number.isInteger(limit) || limit <= 0 || remaining.length <= limit) return { items: remaining };
  const page = remaining.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page,
    continue: Buffer.from(JSON.stringify({ after: last ? keyOf(last) : '' })).toString('base64url'),
    remainingItemCount: remaining.length - limit,
  };
}
