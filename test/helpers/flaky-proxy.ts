import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { renderKubeconfig } from '@deckhand/sim/kube';

/** What the proxy does with one request. */
export type FaultAnswer =
  | { kind: 'pass' }
  /** Answers with a Kubernetes Status object of this code (the sim never sees the request). */
  | { kind: 'status'; code: number; retryAfterSeconds?: number }
  /** Never answers and never forwards: the socket is closed after `ms` (past the client's time limit). */
  | { kind: 'hold'; ms: number };

export interface ProxiedRequest {
  method: string;
  path: string;
  query: string;
  watch: boolean;
}

export type FaultRule = (req: ProxiedRequest) => FaultAnswer;

export interface FlakyProxy {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** A kubeconfig like the sim's, pointing at the proxy. */
  kubeconfig(): string;
  /** Every request that was answered with a fault, in order. */
  readonly faults: ReadonlyArray<ProxiedRequest & { answer: FaultAnswer }>;
  setRule(rule: FaultRule): void;
  close(): Promise<void>;
}

const PASS: FaultAnswer = { kind: 'pass' };
/** No hold lasts longer than this, whatever the rule says: the proxy is bounded. */
const MAX_HOLD_MS = 30_000;

const REASONS: Record<number, string> = {
  409: 'Conflict', 429: 'TooManyRequests', 500: 'InternalError', 502: 'InternalError', 503: 'ServiceUnavailable', 504: 'Timeout',
};

/** Answers the matching requests, in order, with `answers`; every other request (and all after the list) passes. */
export function sequence(match: (r: ProxiedRequest) => boolean, answers: FaultAnswer[]): FaultRule {
  const queue = [...answers];
  return (r) => (match(r) ? queue.shift() ?? PASS : PASS);
}

/** The first rule that does not pass a request decides (each rule is asked in order, so sequences advance). */
export function firstOf(...rules: FaultRule[]): FaultRule {
  return (r) => {
    for (const rule of rules) {
      const a = rule(r);
      if (a.kind !== 'pass') return a;
    }
    return PASS;
  };
}

/**
 * Answers a share of the matching requests with one of `answers`, deterministically (a seeded generator), so a
 * failing run replays; `limit` bounds how many faults are given in all.
 */
export function share(match: (r: ProxiedRequest) => boolean, ratio: number, answers: FaultAnswer[], o: { seed?: number; limit?: number } = {}): FaultRule {
  let state = o.seed ?? 42;
  let given = 0;
  const next = (): number => { state = (state * 1103515245 + 12345) % 2 ** 31; return state / 2 ** 31; };
  return (r) => {
    if (!match(r) || given >= (o.limit ?? Infinity) || next() >= ratio) return PASS;
    const answer = answers[given++ % answers.length];
    return answer ?? PASS;
  };
}

/**
 * An HTTP proxy on loopback in front of the simulated API server that injects faults: Status answers (500, 429 with
 * Retry-After, 409 …) and requests held past the client's time limit. Passing requests (watches included) are
 * streamed through untouched.
 */
export async function startFlakyProxy(target: string | (() => string), rule: FaultRule = () => PASS): Promise<FlakyProxy> {
  let current = rule;
  const faults: (ProxiedRequest & { answer: FaultAnswer })[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  // A function target lets the proxy start before the sim (its kubeconfig is needed to start Deckhand).
  const upstream = (): URL => new URL(typeof target === 'string' ? target : target());

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const info: ProxiedRequest = {
      method: req.method ?? 'GET', path: url.pathname, query: url.search.slice(1), watch: url.searchParams.get('watch') === 'true',
    };
    const answer = current(info);
    if (answer.kind !== 'pass') faults.push({ ...info, answer });
    switch (answer.kind) {
      case 'pass': {
        const to = upstream();
        const out = request({
          hostname: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers,
        }, (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        });
        out.on('error', () => res.destroy());
        res.on('close', () => out.destroy());
        req.pipe(out);
        return;
      }
      case 'status': {
        req.resume();
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (answer.retryAfterSeconds !== undefined) headers['retry-after'] = String(answer.retryAfterSeconds);
        res.writeHead(answer.code, headers);
        res.end(JSON.stringify({
          kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: answer.code,
          reason: REASONS[answer.code] ?? 'InternalError', message: `injected fault ${answer.code}`,
        }));
        return;
      }
      case 'hold': {
        req.resume();
        const timer = setTimeout(() => { timers.delete(timer); req.socket.destroy(); }, Math.min(answer.ms, MAX_HOLD_MS));
        timers.add(timer);
        return;
      }
      default: {
        const never: never = answer;
        throw new Error(`unknown answer ${JSON.stringify(never)}`);
      }
    }
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    faults,
    kubeconfig: () => renderKubeconfig(url),
    setRule(r) { current = r; },
    async close() {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
