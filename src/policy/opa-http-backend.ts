import { DeckhandError } from '../errors.ts';
import { Decision, type PolicyInput } from './schema.ts';
import { rulePath, type PolicyBackend, type PolicyRule } from './types.ts';

export interface OpaHttpOptions {
  /** The whole exchange — connect, headers and body — must be done within this (default 2000 ms). */
  timeoutMs?: number;
  /** Answers larger than this are refused without being read whole (default 1 MiB; a decision is a few hundred bytes). */
  maxBodyBytes?: number;
}

const NOTHING_DONE = 'nothing was done';

/** Statuses that say "try again shortly" rather than "this server is not what you think it is". */
const TRANSIENT = new Set([408, 429, 500, 502, 503, 504]);

/**
 * Decisions from an OPA server (or `deckhand policy serve`) over OPA's Data API. Fails closed: every problem is a
 * thrown DeckhandError, never a decision. `policy_backend_unavailable` (unreachable, too slow, a transient status)
 * may succeed when asked again; `policy_error` (an answer too large, not JSON, not the decision contract, or no
 * decision at that path) will not, so callers retry only the first.
 */
export function createOpaHttpBackend(baseUrl: string, options: OpaHttpOptions = {}): PolicyBackend {
  const { base, authorization } = splitCredentials(baseUrl.replace(/\/+$/, ''));
  const timeoutMs = options.timeoutMs ?? 2000;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  return {
    id: 'opa-http',
    async decide(input: PolicyInput, rule: PolicyRule) {
      const path = rulePath(rule);
      const doc = `data.${path.replaceAll('/', '.')}`;
      const text = await post(`${base}/v1/data/${path}`, JSON.stringify({ input }), { timeoutMs, maxBytes: maxBodyBytes, authorization });
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (err) {
        throw new DeckhandError('policy_error', `The policy server's answer for ${doc} is not JSON; refusing (fail closed): ${NOTHING_DONE}.`, { cause: err });
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new DeckhandError('policy_error', `The policy server's answer for ${doc} is not a Data API response; refusing (fail closed): ${NOTHING_DONE}.`);
      }
      const result = (body as { result?: unknown }).result;
      if (result === undefined) {
        throw new DeckhandError('policy_error', `The policy server has no ${doc}; refusing (fail closed): ${NOTHING_DONE}. Check that the policies are loaded.`);
      }
      const parsed = Decision.safeParse(result);
      if (!parsed.success) {
        throw new DeckhandError('policy_error', `The policy server's ${doc} does not follow the decision contract (${parsed.error.issues[0]?.message ?? 'invalid'}); refusing (fail closed): ${NOTHING_DONE}.`, { cause: parsed.error });
      }
      return parsed.data;
    },
  };
}

/**
 * POSTs `payload` and returns the answer's text, holding at most `maxBytes` of it: a Content-Length over the cap is
 * refused before the body is read, and a body without one is read chunk by chunk and the request aborted once the
 * running total passes the cap. One timer covers the whole exchange, so a server that sends headers at once and then
 * dribbles its body still fails within `timeoutMs`.
 */
async function post(url: string, payload: string, o: { timeoutMs: number; maxBytes: number; authorization?: string }): Promise<string> {
  const { timeoutMs, maxBytes } = o;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', ...(o.authorization && { authorization: o.authorization }) }, body: payload, signal: controller.signal });
    if (!res.ok) {
      controller.abort();
      if (TRANSIENT.has(res.status)) throw new DeckhandError('policy_backend_unavailable', `The policy server answered HTTP ${res.status}; refusing (fail closed): ${NOTHING_DONE}. Try again, or ask the platform team to check the policy server.`);
      throw new DeckhandError('policy_error', `The policy server answered HTTP ${res.status} (is the policy URL an OPA Data API?); refusing (fail closed): ${NOTHING_DONE}.`);
    }
    const declared = Number(res.headers.get('content-length') ?? Number.NaN);
    if (Number.isFinite(declared) && declared > maxBytes) {
      controller.abort();
      throw tooLarge(maxBytes, `${declared} bytes announced`);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    if (res.body) {
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > maxBytes) {
          controller.abort();
          await reader.cancel().catch(() => {});
          throw tooLarge(maxBytes, 'more was being sent');
        }
        chunks.push(value);
      }
    }
    return new TextDecoder().decode(Buffer.concat(chunks));
  } catch (err) {
    if (err instanceof DeckhandError) throw err;
    if (timedOut) {
      throw new DeckhandError('policy_backend_unavailable', `The policy server did not answer in time (no answer within ${timeoutMs} ms); refusing (fail closed): ${NOTHING_DONE}. Try again, or ask the platform team to check the policy server.`, { cause: err });
    }
    throw new DeckhandError('policy_backend_unavailable', `The policy server could not be reached (${networkReason(err)}); refusing (fail closed): ${NOTHING_DONE}. Try again, or ask the platform team to check the policy server.`, { cause: err });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * fetch refuses URLs with credentials in them; a policy URL like `https://user:pass@opa.internal` (a proxy in front
 * of OPA) sends them as Basic auth instead, and they never appear in a message.
 */
function splitCredentials(url: string): { base: string; authorization?: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { base: url };
  }
  if (!u.username && !u.password) return { base: url };
  const authorization = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
  u.username = '';
  u.password = '';
  return { base: u.toString().replace(/\/+$/, ''), authorization };
}

function tooLarge(maxBytes: number, seen: string): DeckhandError {
  return new DeckhandError('policy_error', `The policy server's answer is larger than the ${maxBytes}-byte limit (${seen}); refused unread (fail closed): ${NOTHING_DONE}.`);
}

/** A short, secret-free reason from fetch's error (its message is only "fetch failed"; the cause has the code). */
function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  return err instanceof Error ? err.name : 'network error';
}
