import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { closeRedis, connectRedis, PathLockStore, type Redis } from '../../src/store/index.ts';

const FILE = { repository: 'acme/deploy-config', branch: 'main', path: 'apps/api/production/kustomization.yaml' };

describe('path locks on config-repository files', () => {
  let redis: Redis;
  let locks: PathLockStore;
  const prefix = `pl${randomBytes(4).toString('hex')}`;
  beforeAll(() => { redis = connectRedis(inject('redisUrl')); locks = new PathLockStore(redis, prefix); });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await closeRedis(redis);
  });

  const running = async (): Promise<boolean> => false;
  const ended = async (): Promise<boolean> => true;

  it('lets one deploy at a time hold a file; the holder may take it again; release frees it', async () => {
    expect(await locks.acquire(FILE, '1', running)).toEqual({ ok: true });
    expect(await locks.acquire(FILE, '1', running)).toEqual({ ok: true });
    expect(await locks.acquire(FILE, '2', running)).toEqual({ ok: false, holder: '1' });
    // Another branch or path of the same repository is another lock.
    expect(await locks.acquire({ ...FILE, branch: 'staging' }, '2', running)).toEqual({ ok: true });
    expect(await locks.release(FILE, '2')).toBe(false);
    expect(await locks.holder(FILE)).toBe('1');
    expect(await locks.release(FILE, '1')).toBe(true);
    expect(await locks.acquire(FILE, '2', running)).toEqual({ ok: true });
    await locks.release(FILE, '2');
  });

  it('takes over a lock whose deploy ended without releasing it (a crash), and only then', async () => {
    expect(await locks.acquire(FILE, '5', running)).toEqual({ ok: true });
    const asked: string[] = [];
    expect(await locks.acquire(FILE, '6', async (h) => { asked.push(h); return false; })).toEqual({ ok: false, holder: '5' });
    expect(await locks.acquire(FILE, '6', async (h) => { asked.push(h); return ended(); })).toEqual({ ok: true });
    expect(asked).toEqual(['5', '5']);
    expect(await locks.holder(FILE)).toBe('6');
    await locks.release(FILE, '6');
  });
});
