import { describe, expect, it } from 'vitest';
import { equal, keyOf, RSet } from '../src/index.ts';

describe('keyOf', () => {
  it.each([
    [1e21, 10n ** 21n],
    [2 ** 60, 2n ** 60n],
    [-0, 0],
    [3, 3.0],
  ])('gives equal numbers %s and %s the same key', (a, b) => {
    expect(equal(a, b)).toBe(true);
    expect(keyOf(a)).toBe(keyOf(b));
  });

  it('makes sets of equal numbers collapse', () => {
    expect(new RSet([1e21, 10n ** 21n]).size).toBe(1);
  });
});
