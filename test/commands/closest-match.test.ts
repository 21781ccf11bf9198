import { describe, expect, it } from 'vitest';
import { closestMatch, editDistance } from '../../commands/grammar/closest-match.ts';

describe('editDistance (Damerau–Levenshtein, adjacent transpositions)', () => {
  it.each([
    ['deploy', 'deploy', 0],
    ['deplyo', 'deploy', 1],
    ['dpeloy', 'deploy', 1],
    ['deply', 'deploy', 1],
    ['deployy', 'deploy', 1],
    ['rollbakc', 'rollback', 1],
    ['', 'api', 3],
    ['kitten', 'sitting', 3],
  ])('%s → %s = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });

  it('stops early past the limit', () => {
    expect(editDistance('x'.repeat(10_000), 'deploy', 3)).toBe(4);
  });
});

describe('closestMatch', () => {
  const services = ['api', 'web', 'worker', 'billing'];
  it.each([
    ['apu', 'api'],
    ['API', 'api'],
    ['wokrer', 'worker'],
    ['bill', 'billing'],
    ['zzz', undefined],
    ['w', undefined],
    ['payments', undefined],
  ])('%s → %s', (input, expected) => {
    expect(closestMatch(input, services)).toBe(expected);
  });

  it('tolerates more typos in longer words', () => {
    expect(closestMatch('prodcution', ['staging', 'production'])).toBe('production');
    expect(closestMatch('prd', ['staging', 'production'])).toBeUndefined();
  });
});
