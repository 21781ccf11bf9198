import type { CardRefs } from '../../src/chat/types.ts';

/** CardRefs in memory, for adapter tests without Redis (the Redis one is store/CardStore). */
export function memoryCardRefs(): CardRefs & { refs: Map<string, string> } {
  const refs = new Map<string, string>();
  return {
    refs,
    async claim(platform, id) {
      const key = `${platform}:${id}`;
      if (refs.has(key)) return false;
      refs.set(key, 'pending');
      return true;
    },
    async set(platform, id, ref) { refs.set(`${platform}:${id}`, ref); },
    async get(platform, id) {
      const v = refs.get(`${platform}:${id}`);
      return v === 'pending' ? undefined : v;
    },
    async setLink(platform, id, url) { refs.set(`link:${platform}:${id}`, url); },
    async link(platform, id) { return refs.get(`link:${platform}:${id}`); },
    async deployOf(platform, ref) {
      for (const [k, v] of refs) if (v === ref && k.startsWith(`${platform}:`)) return k.slice(platform.length + 1);
      return undefined;
    },
  };
}
