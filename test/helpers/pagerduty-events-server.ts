import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

/** A change event as PagerDuty's Events API v2 takes it. */
export interface ChangeEvent {
  routing_key: string;
  payload: { summary: string; timestamp?: string; source?: string; custom_details?: Record<string, unknown> };
  links?: { href: string; text?: string }[];
}

export interface PagerDutyEventsServer {
  /** The Events API base URL, for PAGERDUTY_EVENTS_URL. */
  readonly url: string;
  readonly changeEvents: ChangeEvent[];
  waitFor(predicate: (e: ChangeEvent) => boolean, count?: number, timeoutMs?: number): Promise<ChangeEvent[]>;
  close(): Promise<void>;
}

/** Why PagerDuty would refuse a change event (its `errors`), as its Events API v2 documents the fields. */
function errorsOf(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return ['Event object is invalid'];
  const e = body as Partial<ChangeEvent>;
  const errors: string[] = [];
  if (typeof e.routing_key !== 'string' || e.routing_key.length !== 32) errors.push("'routing_key' is invalid");
  const p = e.payload;
  if (typeof p !== 'object' || p === null) return [...errors, "'payload' is missing"];
  if (typeof p.summary !== 'string' || p.summary === '' || p.summary.length > 1024) errors.push("'payload.summary' is invalid");
  if (p.timestamp !== undefined && Number.isNaN(Date.parse(p.timestamp))) errors.push("'payload.timestamp' is invalid");
  if (p.source !== undefined && typeof p.source !== 'string') errors.push("'payload.source' is invalid");
  if (e.links !== undefined && !(Array.isArray(e.links) && e.links.every((l) => typeof l?.href === 'string'))) errors.push("'links' is invalid");
  return errors;
}

/**
 * A local stand-in for PagerDuty's Events API v2 change events: `POST /v2/change/enqueue` answers 202
 * `{"status":"success","message":"Change event processed"}`, or 400 `{"status":"invalid event",…,"errors":[…]}`.
 */
export async function startPagerDutyEventsServer(): Promise<PagerDutyEventsServer> {
  const changeEvents: ChangeEvent[] = [];
  const waiters = new Set<() => void>();
  const server = createServer((req, res) => {
    const reply = (status: number, body: unknown): void => { res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)); };
    if (req.method !== 'POST' || req.url !== '/v2/change/enqueue') return reply(404, { status: 'not found' });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: unknown;
      try { body = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { return reply(400, { status: 'invalid event', message: 'Event object is invalid', errors: ['Invalid JSON'] }); }
      const errors = errorsOf(body);
      if (errors.length) return reply(400, { status: 'invalid event', message: 'Event object is invalid', errors });
      changeEvents.push(body as ChangeEvent);
      reply(202, { status: 'success', message: 'Change event processed', dedup_key: randomUUID() });
      for (const w of waiters) w();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    changeEvents,
    waitFor(predicate, count = 1, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = changeEvents.filter(predicate);
          if (found.length < count) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => { waiters.delete(check); reject(new Error(`timed out waiting for ${count} change event(s)`)); }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
