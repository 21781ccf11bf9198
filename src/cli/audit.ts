import { once } from 'node:events';
import { parseDuration } from '../config/duration.ts';
import { closeRedis, connectRedis, StreamStore } from '../store/index.ts';
import type { CommandIo } from './command-line.ts';
import { loadConfigOrReport } from './load-config-or-report.ts';

/** Entries read from Redis per round trip: bounded memory whatever the stream's length. */
const PAGE = 1000;

/** `--since` as epoch ms: an ISO time (`2026-11-22T10:00:00Z`) or a duration back from now (`24h`, `30m`, `7d`). */
export function parseSince(text: string, now: number = Date.now()): number | undefined {
  const ago = parseDuration(text);
  if (ago !== undefined) return now - ago;
  if (!/^\d{4}-\d{2}-\d{2}/.test(text.trim())) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : at;
}

/** Stream ids are `<ms>-<seq>`; compares them as numbers, as Redis orders them. */
function isAfter(id: string, last: string): boolean {
  const [ms = 0, seq = 0] = id.split('-').map(Number);
  const [lastMs = 0, lastSeq = 0] = last.split('-').map(Number);
  return ms > lastMs || (ms === lastMs && seq > lastSeq);
}

/**
 * Writes every entry of `<prefix>:audit` from `sinceMs` on, oldest first, one JSON object per line, reading it in
 * pages so a million-entry stream is not held in memory; waits for `out` to drain. Returns how many were written.
 * Entries are written as they were recorded (not re-validated): an export is a copy, not a judgement.
 */
export async function exportAudit(stream: StreamStore, out: NodeJS.WritableStream, sinceMs?: number): Promise<number> {
  let written = 0;
  let lastId: string | undefined;
  let fromMs = sinceMs;
  let page = PAGE;
  for (;;) {
    const rows = await stream.read({ sinceMs: fromMs, count: page });
    const fresh = lastId === undefined ? rows : rows.filter((r) => isAfter(r.id, lastId ?? ''));
    for (const row of fresh) {
      if (!out.write(`${JSON.stringify(row.record)}\n`)) await once(out, 'drain');
      written++;
    }
    if (rows.length < page) return written;
    const last = rows.at(-1);
    if (!last) return written;
    // Reading restarts at the newest entry's millisecond (the store's range is inclusive, by ms); a page with nothing
    // new was all entries already written, of one millisecond, so it is read again wider.
    if (fresh.length === 0) page *= 2;
    const newest = fresh.at(-1);
    if (newest) lastId = newest.id;
    fromMs = Number(last.id.split('-')[0]);
  }
}

/** `deckhand audit export` (its options are parsed by the command line). Thin: config in (REDIS_URL), the stream out as JSON lines. */
export async function runAuditExport(values: { since?: string; config?: string; prefix?: string }, io: CommandIo): Promise<number> {
  const { out, err } = io;
  const sinceMs = values.since === undefined ? undefined : parseSince(values.since);
  if (values.since !== undefined && sinceMs === undefined) {
    err.write(`deckhand audit export: --since "${values.since}" is neither a duration like 24h, 30m or 7d nor an ISO time like 2026-11-22T10:00:00Z.\n`);
    return 2;
  }
  const config = await loadConfigOrReport(values.config);
  if (!config) return 1;
  const url = config.runtime.redisUrl;
  if (!url) {
    err.write('deckhand audit export: the audit log lives in Redis: set REDIS_URL (redis://host:6379) to the Redis Deckhand uses. '
      + 'A running sandbox prints the whole command on its `redis:` line (REDIS_URL=redis://127.0.0.1:<port> npx deckhand audit export).\n');
    return 1;
  }
  const redis = connectRedis(url);
  try {
    // The shared connection waits out Redis restarts forever; a command line should say so and stop instead.
    const reachable = await Promise.race([redis.ping().then(() => true), new Promise<false>((r) => setTimeout(r, 5000, false).unref())]);
    if (!reachable) {
      err.write('deckhand audit export: Redis at REDIS_URL did not answer within 5 s.\n');
      redis.disconnect();
      return 1;
    }
    await exportAudit(new StreamStore(redis, `${values.prefix ?? 'deckhand'}:audit`), out, sinceMs);
    return 0;
  } finally {
    await closeRedis(redis);
  }
}
