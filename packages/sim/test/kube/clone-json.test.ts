import { describe, expect, it } from 'vitest';
import { cloneJson } from '../../src/kube/clone-json.ts';

describe('cloneJson', () => {
  it('copies every level, so changing the copy leaves the original as it was', () => {
    const original = { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'app', ports: [{ containerPort: 80 }] }] }, status: null, n: 0, ok: false };
    const copy = cloneJson(original);
    expect(copy).toEqual(original);
    copy.metadata.labels.app = 'web';
    copy.spec.containers[0]!.ports.push({ containerPort: 443 });
    expect(original.metadata.labels.app).toBe('api');
    expect(original.spec.containers[0]!.ports).toHaveLength(1);
  });

  it('keeps a "__proto__" key parsed from JSON as data and the copy an ordinary object', () => {
    const parsed = JSON.parse('{"metadata":{"__proto__":{"polluted":true}}}') as { metadata: Record<string, unknown> };
    const copy = cloneJson(parsed);
    expect(Object.getPrototypeOf(copy.metadata)).toBe(Object.prototype);
    expect(copy.metadata.polluted).toBeUndefined();
    expect(JSON.stringify(copy)).toBe(JSON.stringify(parsed));
  });

  it('returns scalars as they are', () => {
    expect(cloneJson('x')).toBe('x');
    expect(cloneJson(null)).toBeNull();
    expect(cloneJson([1, 'a', null])).toEqual([1, 'a', null]);
  });
});
