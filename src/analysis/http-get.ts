import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** A GET's answer: the status and the body as text. */
export interface HttpAnswer {
  status: number;
  text: string;
}

/**
 * GETs `url`; rejects with `signal.reason` once it aborts (a `TimeoutError` from `deadline`), and with the
 * connection's own error (`connect ECONNREFUSED 10.0.0.7:9090`) when there is no answer.
 */
export type HttpGet = (url: URL, signal: AbortSignal) => Promise<HttpAnswer>;

/**
 * At most as many queries in flight per server as Prometheus runs at once (`--query.max-concurrency`, 20 by
 * default); more would wait in its queue anyway. Hundreds of canaries analysed in the same second then share kept
 * connections instead of opening one each.
 */
const AGENT_OPTIONS = { keepAlive: true, maxSockets: 20 };

/** More than any instant query or probe answers; a body past it is an error rather than memory without bound. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Redirects followed before giving up, as `fetch` did before (a probe path that moved, a proxy in front). */
const MAX_REDIRECTS = 5;

/**
 * GETs for analysis, over kept-alive connections. Analysis asks every interval for every canary under way, so this
 * is Deckhand's most frequent request: `fetch` (the WHATWG layer of streams, Response and Headers over undici) was the
 * largest source of garbage with 200 canaries at once. Redirects are followed, as `fetch` followed them.
 */
export function createHttpGet(): HttpGet {
  const agents = { 'http:': new HttpAgent(AGENT_OPTIONS), 'https:': new HttpsAgent(AGENT_OPTIONS) };
  const get = async (url: URL, signal: AbortSignal, hops = 0): Promise<HttpAnswer> => {
    const answer = await once(url, signal);
    if (answer.location === undefined) return answer;
    if (hops >= MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects from ${url.origin}${url.pathname}`);
    return get(new URL(answer.location, url), signal, hops + 1);
  };
  const once = (url: URL, signal: AbortSignal): Promise<HttpAnswer & { location?: string }> => new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const secure = url.protocol === 'https:';
    if (!secure && url.protocol !== 'http:') {
      reject(new Error(`${url.protocol} is not an HTTP address`));
      return;
    }
    const send = secure ? httpsRequest : httpRequest;
    const req = send(url, { method: 'GET', agent: agents[secure ? 'https:' : 'http:'], headers: { accept: 'application/json, */*' } }, (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        // The body of a redirect is not read, but drained, so the connection goes back to the pool.
        res.resume();
        res.on('end', () => finish(() => resolve({ status, text: '', location: res.headers.location })));
        res.on('error', (err) => finish(() => reject(err)));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          req.destroy(new Error(`the answer is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => finish(() => resolve({ status, text: Buffer.concat(chunks).toString('utf8') })));
      res.on('error', (err) => finish(() => reject(err)));
    });
    const onAbort = (): void => {
      finish(() => reject(signal.reason));
      req.destroy();
    };
    let settled = false;
    function finish(settle: () => void): void {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      settle();
    }
    signal.addEventListener('abort', onAbort, { once: true });
    req.on('error', (err) => finish(() => reject(err)));
    req.end();
  });
  return (url, signal) => get(url, signal);
}
