import { createRequesterFn, type RequesterType, type ResourceOptions } from '@gitbeaker/requester-utils';

/** A GitLab answer that was not 2xx, with what Deckhand reads of it (status, headers, GitLab's own message). */
export class GitLabResponseError extends Error {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, headers: Record<string, string>, description: string) {
    super(description);
    this.name = 'GitLabResponseError';
    this.status = status;
    this.headers = headers;
  }
}

async function bodyOf(response: Response): Promise<unknown> {
  if (response.status === 204) return null;
  const type = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
  if (type === 'application/json') return (await response.json() as unknown) ?? {};
  return response.text();
}

async function descriptionOf(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const json = JSON.parse(text) as { message?: unknown; error?: unknown };
    const m = json.message ?? json.error ?? '';
    return typeof m === 'string' ? m : JSON.stringify(m);
  } catch {
    return text.slice(0, 200);
  }
}

/**
 * gitbeaker's requester, minus its retries: its own handler repeats a 429 ten times within a quarter second,
 * ignoring `Retry-After`. Deckhand never retries by itself (a step waits out a rate limit as a delayed job), so
 * this one makes exactly one request and hands a failure back with its status and headers.
 */
export const singleShotRequester: (options: ResourceOptions) => RequesterType = createRequesterFn(
  (_, options) => Promise.resolve(options),
  async (endpoint, options) => {
    const { prefixUrl, searchParams, method, headers, body, signal } = (options ?? {}) as {
      prefixUrl?: string; searchParams?: string; method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal;
    };
    const base = prefixUrl === undefined ? undefined : prefixUrl.endsWith('/') ? prefixUrl : `${prefixUrl}/`;
    const url = new URL(endpoint, base);
    url.search = searchParams ?? '';
    const response = await fetch(url, { method, headers, body, signal });
    const responseHeaders = Object.fromEntries(response.headers.entries());
    if (!response.ok) throw new GitLabResponseError(response.status, responseHeaders, await descriptionOf(response));
    return { body: await bodyOf(response) as never, headers: responseHeaders, status: response.status };
  },
);
