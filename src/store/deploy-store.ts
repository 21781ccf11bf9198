import type { Redis } from 'ioredis';
import { Deploy, isEndPhase } from '../deploy/index.ts';
import { DeckhandError } from '../errors.ts';
import { luaScript, runScript } from './lua-script.ts';

/**
 * Allocates an id and records the idempotency key in one step, so a retried request finds the first deploy. Answers
 * with the record as stored (and its revision), which spares the caller a read.
 */
const CREATE_SCRIPT = luaScript(`
local existing = redis.call('GET', KEYS[1])
if existing then
  local stored = redis.call('HMGET', ARGV[3] .. existing, 'json', 'rev')
  return {0, existing, stored[1], stored[2]}
end
local id = tostring(redis.call('INCR', KEYS[2]))
redis.call('SET', KEYS[1], id, 'EX', ARGV[1])
local json = string.gsub(ARGV[2], '"id":"0"', '"id":"' .. id .. '"', 1)
redis.call('HSET', ARGV[3] .. id, 'json', json, 'rev', 1)
redis.call('ZADD', KEYS[3], id, id)
redis.call('ZADD', ARGV[4], id, id)
return {1, id, json, '1'}
`);

/**
 * Compare-and-set on the record's revision: concurrent writers (worker, approvals, aborts) never lose an update.
 * Beside the record it keeps the waiter index: `waiter:<namespace>/<name>` names the deploy whose step waits on that
 * Deployment, so the Deployment watch finds who to wake with one read. KEYS: the record, the journal stream (the
 * record again where there is no journal: never written then), the waiter key of the revision being replaced, if any
 * (ARGV[4] is '1' then; cleared if it still names this deploy), and the waiter key of this save, if any. ARGV[5],
 * when not empty, is a journal entry appended in the same write (trimmed to about ARGV[6] entries): a crash cannot
 * keep the one without the other.
 */
const SAVE_SCRIPT = luaScript(`
local rev = redis.call('HGET', KEYS[1], 'rev')
if rev ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'json', ARGV[2], 'rev', tonumber(rev) + 1)
local was, now = nil, KEYS[3]
if ARGV[4] == '1' then was, now = KEYS[3], KEYS[4] end
if was and was ~= now and redis.call('GET', was) == ARGV[3] then redis.call('DEL', was) end
if now then redis.call('SET', now, ARGV[3]) end
if ARGV[5] ~= '' then redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[6], '*', 'json', ARGV[5]) end
return 1
`);

/**
 * Where a save that changes a deploy's phase records it (the audit log's stream), written by the same script as the
 * record. `entry` builds the entry for the saved record and the words said about the change.
 */
export interface PhaseJournal {
  key: string;
  maxLen: number;
  entry(saved: Deploy, message: string): unknown;
}

export interface CreateResult {
  created: boolean;
  deploy: Deploy;
}

export type NewDeploy = Omit<Deploy, 'id'>;

export class DeployStore {
  private readonly redis: Redis;
  private readonly prefix: string;

  private readonly journal: PhaseJournal | undefined;

  constructor(redis: Redis, prefix: string, journal?: PhaseJournal) {
    this.redis = redis;
    this.prefix = prefix;
    this.journal = journal;
  }

  private key(id: string): string { return `${this.prefix}:deploy:${id}`; }
  private indexKey(service: string, env: string): string { return `${this.prefix}:deploys:${service}:${env}`; }
  /** A wait for any change of the Deployment, or (`settled`) only for the end of its rollout, has its own index. */
  private waiterKey(namespace: string, name: string, settled = false): string { return `${this.prefix}:${settled ? 'waiter-settled' : 'waiter'}:${namespace}/${name}`; }
  /** The Deployment a revision's step waits on, as a waiter-index key; none once the deploy has ended. */
  private waitedOn(d: Deploy): string | undefined {
    const w = d.waitingFor;
    return w === undefined || w === 'time' || isEndPhase(d.phase) ? undefined : this.waiterKey(w.namespace, w.name, w.when === 'settled');
  }

  /**
   * Creates the deploy unless one was already created under `idempotencyKey` (chat retries, double clicks),
   * in which case that one is returned with `created: false`.
   */
  async create(draft: NewDeploy, idempotencyKey: string, ttlSeconds = 86_400): Promise<CreateResult> {
    const json = JSON.stringify({ id: '0', ...draft });
    const [created, id, stored, rev] = await runScript(this.redis, CREATE_SCRIPT,
      [`${this.prefix}:idem:${idempotencyKey}`, `${this.prefix}:deploy:seq`, this.indexKey(draft.service, draft.env)],
      [String(ttlSeconds), json, `${this.prefix}:deploy:`, `${this.prefix}:deploys`],
    ) as [number, string, string | null, string | null];
    if (!stored || !rev) throw new DeckhandError('store_unavailable', `Deploy #${id} vanished right after it was created.`);
    const deploy = Deploy.parse(JSON.parse(stored));
    this.revs.set(deploy, rev);
    return { created: created === 1, deploy };
  }

  async get(id: string): Promise<Deploy | undefined> {
    return (await this.getWithRev(id))?.deploy;
  }

  private async getWithRev(id: string): Promise<{ deploy: Deploy; rev: string } | undefined> {
    const [json, rev] = await this.redis.hmget(this.key(id), 'json', 'rev');
    if (!json || !rev) return undefined;
    const deploy = Deploy.parse(JSON.parse(json));
    this.revs.set(deploy, rev);
    return { deploy, rev };
  }

  /**
   * The revision each record object was read or saved at: an update given the record it last saw tries that
   * revision first instead of reading the record again (a step that just saved it needs no second read).
   */
  private readonly revs = new WeakMap<Deploy, string>();

  /**
   * Applies `change` to the latest record and saves it atomically, retrying on a concurrent write.
   * `change` may run more than once, so it must be a pure function of the deploy it is given (it may be async,
   * e.g. to ask the policy about that very revision: a compare-and-set loop around a decision).
   * Returning undefined leaves the record untouched. A save that changes the phase is journaled in the same write
   * (see PhaseJournal), said in `note` (default: the record's summary).
   */
  async update(id: string, change: (d: Deploy) => Deploy | undefined | Promise<Deploy | undefined>, lastSeen?: Deploy, note?: string): Promise<Deploy> {
    const seenRev = lastSeen && lastSeen.id === id ? this.revs.get(lastSeen) : undefined;
    for (let attempt = 0; attempt < 50; attempt++) {
      // A stale guess costs one failed save, then the record is read as usual.
      const guess = attempt === 0 && lastSeen && seenRev ? { deploy: lastSeen, rev: seenRev } : undefined;
      const current = guess ?? await this.getWithRev(id);
      if (!current) throw new DeckhandError('deploy_not_found', `There is no deploy #${id}.`);
      // An async change (one that asks the policy) is still judged against exactly the revision it was given.
      const next = await change(current.deploy);
      if (!next) {
        // "No change" is only an answer about the latest record, never about a guess.
        if (guess) continue;
        return current.deploy;
      }
      const saved = Deploy.parse({ ...next, updatedAt: new Date().toISOString() });
      if (isEndPhase(saved.phase) && !saved.finishedAt) saved.finishedAt = saved.updatedAt;
      const was = this.waitedOn(current.deploy);
      const now = this.waitedOn(saved);
      const waiters = [was, now].filter((k): k is string => k !== undefined);
      const entry = this.journal && saved.phase !== current.deploy.phase ? JSON.stringify(this.journal.entry(saved, note ?? saved.summary ?? '')) : '';
      const ok = await runScript(this.redis, SAVE_SCRIPT, [this.key(id), this.journal?.key ?? this.key(id), ...waiters], [current.rev, JSON.stringify(saved), id, was ? '1' : '0', entry, String(this.journal?.maxLen ?? 0)]);
      if (ok === 1) {
        this.revs.set(saved, String(Number(current.rev) + 1));
        return saved;
      }
    }
    throw new DeckhandError('store_unavailable', `Deploy #${id} is being changed by too many writers at once; try again.`);
  }

  /**
   * The deploys whose steps wait on these Deployments right now (pods becoming ready, a canary going away): one read
   * for all of them, made on every batch of changes the Deployment watch sees. A step waiting only for a rollout to
   * settle is among them only for a Deployment that has `settled`. A deploy saved by an earlier version is in no
   * index until its next save; its wait ends at its own fallback delay meanwhile.
   */
  async waitersOf(deployments: readonly { namespace: string; name: string; settled?: boolean }[]): Promise<string[]> {
    const keys = deployments.flatMap((w) => (w.settled ? [this.waiterKey(w.namespace, w.name), this.waiterKey(w.namespace, w.name, true)] : [this.waiterKey(w.namespace, w.name)]));
    if (keys.length === 0) return [];
    const ids = await this.redis.mget(keys);
    return ids.filter((id): id is string => id !== null);
  }

  /** Newest first. */
  async list(filter: { service?: string; env?: string; limit?: number } = {}): Promise<Deploy[]> {
    const limit = filter.limit ?? 20;
    // The per-service index holds only matches, so it needs no over-read; the global one is scanned.
    const ids = filter.service && filter.env
      ? await this.redis.zrevrange(this.indexKey(filter.service, filter.env), 0, limit - 1)
      : await this.redis.zrevrange(`${this.prefix}:deploys`, 0, 999);
    const out: Deploy[] = [];
    for (const id of ids) {
      const d = await this.get(id);
      if (!d) continue;
      if (filter.service && d.service !== filter.service) continue;
      if (filter.env && d.env !== filter.env) continue;
      out.push(d);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Deploys not in an end phase: what a restarted process must pick up again. */
  async listOpen(): Promise<Deploy[]> {
    const ids = await this.redis.zrevrange(`${this.prefix}:deploys`, 0, 1000);
    const out: Deploy[] = [];
    for (const id of ids) {
      const d = await this.get(id);
      if (d && !isEndPhase(d.phase)) out.push(d);
    }
    return out;
  }
}
