import type { IncomingMessage, ServerResponse } from 'node:http';

/** A request whose body the server has already read (within the size limit). */
export type BufferedRequest = IncomingMessage & {
  /**
   * The raw body bytes, for signature checks (Slack, Discord, GitHub sign the exact bytes). The name is the one
   * Bolt's `bufferIncomingMessage` looks for, so Bolt's `requestListener` uses it instead of reading the stream.
   */
  rawBody: Buffer;
};

/** A chat or webhook ingress (Slack events, Discord interactions, GitHub webhooks) mounted on the one server. */
export type IngressHandler = (req: BufferedRequest, res: ServerResponse) => void | Promise<void>;

/**
 * One readiness dependency: resolves when reachable, rejects (or times out) when not. It may resolve to a note
 * (`stale: …`): still ready, and `/readyz` shows the note in place of `ok` — for a part that works in a degraded way
 * every pod shares, such as policies deciding with the last good version after a bad update.
 */
export type ReadinessCheck = () => Promise<void | string>;

/**
 * Where the read-only API reads deploys from. Shaped like store/DeployStore, so main.ts passes the store itself and
 * this folder still imports no station.
 */
export interface DeploySource {
  /** Newest first. */
  list(filter: { service?: string; env?: string; limit?: number }): Promise<readonly unknown[]>;
  get(id: string): Promise<unknown>;
}

/** Where the read-only API reads the audit log from; shaped like audit/AuditLog. */
export interface AuditSource {
  /** Newest first, optionally only one deploy's entries. */
  latest(count: number, deployId?: string): Promise<readonly unknown[]>;
  /** Oldest first, from `sinceMs` on. */
  read(options: { sinceMs?: number; count?: number }): Promise<readonly unknown[]>;
}

/** The text for `/metrics` (telemetry's `Metrics.render` has this shape). */
export type MetricsSource = () => Promise<{ contentType: string; body: string }>;

/** The log lines the server writes: a failed check, an error in a handler. A pino Logger fits. */
export interface HttpLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}
