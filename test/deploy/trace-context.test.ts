import { describe, expect, it } from 'vitest';
import { newTraceparent, parseTraceparent, TRACEPARENT } from '../../src/deploy/trace-context.ts';

describe('a deploy trace context', () => {
  it('is a W3C traceparent with random, distinct ids that parses back', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const tp = newTraceparent();
      expect(tp).toMatch(TRACEPARENT);
      const ids = parseTraceparent(tp);
      expect(ids?.traceId).not.toMatch(/^0+$/);
      expect(ids?.spanId).not.toMatch(/^0+$/);
      seen.add(ids?.traceId ?? '');
    }
    expect(seen.size).toBe(200);
  });
});
