/** One REST answer of the simulated GitHub, before the server adds ETags and rate-limit headers. */
export interface Reply {
  status: number;
  body?: unknown;
  /** Bytes served as they are, instead of `body` as JSON (registry manifests and blobs, whose digest is their hash). */
  raw?: Buffer;
  headers?: Record<string, string>;
}

const DOCS = 'https://docs.github.com/rest';

export const notFound = (message = 'Not Found'): Reply => ({ status: 404, body: { message, documentation_url: DOCS, status: '404' } });
export const invalid = (message: string): Reply => ({ status: 422, body: { message, documentation_url: DOCS, status: '422' } });
/** GitHub's `Validation Failed` with its `errors` array, as pull request creation answers. */
export const validationFailed = (errors: Record<string, string>[]): Reply => ({ status: 422, body: { message: 'Validation Failed', errors, documentation_url: DOCS, status: '422' } });
export const conflict = (message: string): Reply => ({ status: 409, body: { message, documentation_url: DOCS, status: '409' } });
export const notAllowed = (message: string): Reply => ({ status: 405, body: { message, documentation_url: DOCS, status: '405' } });

/** `page`/`per_page` paging with a `Link` header, as every GitHub list does. */
export function paged<T>(items: T[], q: URLSearchParams, url: string): Reply {
  const perPage = Math.min(100, Math.max(1, Number(q.get('per_page') ?? 30)));
  const page = Math.max(1, Number(q.get('page') ?? 1));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const headers: Record<string, string> = {};
  if (page < last) headers.link = `<${url}?per_page=${perPage}&page=${page + 1}>; rel="next", <${url}?per_page=${perPage}&page=${last}>; rel="last"`;
  return { status: 200, body: slice, headers };
}

/** A string field of a JSON body, or undefined when absent or not a string. */
export function stringField(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  return typeof value === 'string' ? value : undefined;
}

/** `{name}` of a person object in a body (`author`, `committer`), when one is given. */
export function personName(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (typeof value !== 'object' || value === null) return undefined;
  const name: unknown = Reflect.get(value, 'name');
  return typeof name === 'string' && name !== '' ? name : undefined;
}
