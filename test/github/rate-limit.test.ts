import { describe, expect, it } from 'vitest';
import { rateLimitWaitMs } from '../../src/github/index.ts';

const NOW = Date.parse('2026-11-22T18:00:00Z');

describe('rateLimitWaitMs', () => {
  it.each([
    ['429 with Retry-After seconds', 429, { 'retry-after': '7' }, '', 7000],
    ['403 secondary limit with Retry-After', 403, { 'retry-after': '30' }, 'You have exceeded a secondary rate limit', 30_000],
    ['Retry-After as an HTTP date', 429, { 'retry-after': 'Sun, 22 Nov 2026 18:00:05 GMT' }, '', 5000],
    ['403 primary limit until x-ratelimit-reset', 403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 90) }, 'API rate limit exceeded', 90_000],
    ['a primary limit already reset still waits a second', 403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 - 5) }, '', 1000],
    ['429 without headers: at least a minute', 429, {}, '', 60_000],
    ['403 saying rate limit without headers', 403, {}, 'secondary rate limit', 60_000],
  ])('%s', (_what, status, headers, message, expected) => {
    expect(rateLimitWaitMs(status, headers, NOW, message)).toBe(expected);
  });

  it.each([
    ['a permissions 403', 403, { 'x-ratelimit-remaining': '4999' }, 'Resource not accessible by integration'],
    ['a 404', 404, { 'retry-after': '5' }, 'Not Found'],
    ['a 500', 500, {}, ''],
  ])('is not a rate limit: %s', (_what, status, headers, message) => {
    expect(rateLimitWaitMs(status, headers, NOW, message)).toBeUndefined();
  });
});
