import { AuditEvent } from './schema.ts';

/** The storage the audit log needs: an append-only stream (store/StreamStore). */
export interface AppendOnlyStream {
  append(record: unknown): Promise<string>;
  read(options?: { sinceMs?: number; count?: number }): Promise<{ id: string; record: unknown }[]>;
  readLatest(count: number): Promise<{ id: string; record: unknown }[]>;
}

type WithoutAt<T> = T extends unknown ? Omit<T, 'at'> : never;

/** An entry as the log stores it: stamped now, and validated (a malformed entry is a bug, never appended). */
export function auditEntry(event: WithoutAt<AuditEvent>): AuditEvent {
  return AuditEvent.parse({ ...event, at: new Date().toISOString() });
}

export class AuditLog {
  private readonly stream: AppendOnlyStream;

  constructor(stream: AppendOnlyStream) {
    this.stream = stream;
  }

  async record(event: WithoutAt<AuditEvent>): Promise<void> {
    await this.stream.append(auditEntry(event));
  }

  async read(options: { sinceMs?: number; count?: number } = {}): Promise<AuditEvent[]> {
    return (await this.stream.read(options)).map((e) => AuditEvent.parse(e.record));
  }

  /** Newest first, optionally for one deploy. */
  async latest(count: number, deployId?: string): Promise<AuditEvent[]> {
    const rows = (await this.stream.readLatest(deployId ? count * 20 : count)).map((e) => AuditEvent.parse(e.record));
    return (deployId ? rows.filter((r) => 'deployId' in r && r.deployId === deployId) : rows).slice(0, count);
  }
}
