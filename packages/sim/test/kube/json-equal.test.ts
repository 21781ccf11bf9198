import { describe, expect, it } from 'vitest';
import { jsonEqual } from '../../src/kube/json-equal.ts';

describe('jsonEqual', () => {
  it('is true for the same data whatever the order of keys', () => {
    expect(jsonEqual({ a: 1, b: { c: [1, 'x', null, { d: true }] } }, { b: { c: [1, 'x', null, { d: true }] }, a: 1 })).toBe(true);
    expect(jsonEqual([], [])).toBe(true);
    expect(jsonEqual({}, {})).toBe(true);
  });

  it('tells apart a changed value, a missing or extra key, arrays in another order and arrays from objects', () => {
    expect(jsonEqual({ a: 1 }, { a: 2 })).toBe(false);
    expect(jsonEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(jsonEqual({ a: 1, b: 2 }, { a: 1 })).toBe(false);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual([1], [1, 1])).toBe(false);
    expect(jsonEqual({ 0: 'a' }, ['a'])).toBe(false);
    expect(jsonEqual({ a: null }, { a: {} })).toBe(false);
    expect(jsonEqual({ a: '1' }, { a: 1 })).toBe(false);
  });

  it('counts a key set to undefined as present, like isDeepStrictEqual', () => {
    expect(jsonEqual({ a: undefined }, {})).toBe(false);
    expect(jsonEqual({}, { a: undefined })).toBe(false);
    expect(jsonEqual({ a: undefined }, { a: undefined })).toBe(true);
  });
});
