import type { Redis } from 'ioredis';
import { luaScript, runScript } from './lua-script.ts';

/** A file of a config repository: two deploys that would edit it never do so at the same time. */
export interface RepoPath {
  repository: string;
  branch: string;
  path: string;
}

export type PathLockResult = { ok: true } | { ok: false; holder: string };

/** Replaces the holder only if it is still exactly who the caller saw: a reclaim never steals a fresh lock. */
const SWAP_SCRIPT = luaScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[2]) end
return 1
`);

/**
 * Locks on `repository + branch + path`, held by a deploy id. There is no expiry: a deploy can follow Argo CD for many
 * minutes. A lock outlives its deploy only when the process died before the deploy's last step released it; the next
 * deploy that wants the file asks (`isOver`) whether the holder has ended, and takes the lock over if it has.
 */
export class PathLockStore {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(redis: Redis, prefix: string) {
    this.redis = redis;
    this.prefix = prefix;
  }

  private key(p: RepoPath): string { return `${this.prefix}:pathlock:${p.repository}:${p.branch}:${p.path}`; }

  /** Takes the lock for `deployId` (again, when it already holds it); reclaims it from a holder that has ended. */
  async acquire(p: RepoPath, deployId: string, isOver: (holder: string) => Promise<boolean>): Promise<PathLockResult> {
    const key = this.key(p);
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await this.redis.set(key, deployId, 'NX') === 'OK') return { ok: true };
      const holder = await this.redis.get(key);
      if (holder === null) continue;
      if (holder === deployId) return { ok: true };
      if (!await isOver(holder)) return { ok: false, holder };
      if (await runScript(this.redis, SWAP_SCRIPT, [key], [holder, deployId]) === 1) return { ok: true };
    }
    const holder = await this.redis.get(key);
    return holder === deployId ? { ok: true } : { ok: false, holder: holder ?? 'unknown' };
  }

  async holder(p: RepoPath): Promise<string | undefined> {
    return (await this.redis.get(this.key(p))) ?? undefined;
  }

  /** Releases the lock if `deployId` holds it; a no-op otherwise, so every end may call it. */
  async release(p: RepoPath, deployId: string): Promise<boolean> {
    return await runScript(this.redis, SWAP_SCRIPT, [this.key(p)], [deployId, '']) === 1;
  }
}
