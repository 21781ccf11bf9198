import { describe, expect, it } from 'vitest';
import { KubeApiError } from '../../src/kube/api-error.ts';
import { applyJsonPatch } from '../../src/kube/json-patch.ts';
import { applyMergePatch } from '../../src/kube/merge-patch.ts';

describe('applyJsonPatch', () => {
  const doc = { metadata: { annotations: { a: '1' } }, spec: { template: { image: 'v1' }, list: [1, 2, 3] } };

  it('replaces /spec/template and /metadata/annotations like kubectl rollout undo', () => {
    const patched = applyJsonPatch(doc, [
      { op: 'replace', path: '/spec/template', value: { image: 'v0' } },
      { op: 'replace', path: '/metadata/annotations', value: { b: '2' } },
    ]);
    expect(patched).toEqual({ metadata: { annotations: { b: '2' } }, spec: { template: { image: 'v0' }, list: [1, 2, 3] } });
  });

  it.each([
    [[{ op: 'add', path: '/spec/list/-', value: 4 }], [1, 2, 3, 4]],
    [[{ op: 'add', path: '/spec/list/0', value: 0 }], [0, 1, 2, 3]],
    [[{ op: 'remove', path: '/spec/list/1' }], [1, 3]],
    [[{ op: 'move', from: '/spec/list/0', path: '/spec/list/2' }], [2, 3, 1]],
  ])('%j', (ops, list) => {
    expect((applyJsonPatch(doc, ops) as typeof doc).spec.list).toEqual(list);
  });

  it('escapes ~1 in paths (annotation keys with slashes)', () => {
    const patched = applyJsonPatch(doc, [{ op: 'add', path: '/metadata/annotations/example.com~1x', value: 'y' }]) as typeof doc;
    expect(patched.metadata.annotations).toEqual({ a: '1', 'example.com/x': 'y' });
  });

  it('fails a replace of a missing path and a failed test with 422', () => {
    for (const ops of [[{ op: 'replace', path: '/nope/x', value: 1 }], [{ op: 'test', path: '/spec/template/image', value: 'v9' }]]) {
      try {
        applyJsonPatch(doc, ops);
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(KubeApiError);
        expect((err as KubeApiError).status.code).toBe(422);
      }
    }
  });
});

describe('applyMergePatch', () => {
  it('merges maps, deletes nulls and replaces lists', () => {
    const patched = applyMergePatch({ a: { b: 1, c: 2 }, list: [1, 2] }, { a: { b: null, d: 3 }, list: [9] });
    expect(patched).toEqual({ a: { c: 2, d: 3 }, list: [9] });
  });
});
