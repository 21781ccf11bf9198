import { describe, expect, it } from 'vitest';
import { buildStatusOf } from '../../src/gitlab/index.ts';
import { gitLabWaitMs } from '../../src/gitlab/call-gitlab.ts';

describe('GitLab pipeline and job statuses in the build station\'s terms', () => {
  it.each([
    ['created', 'queued', null], ['waiting_for_resource', 'queued', null], ['preparing', 'queued', null], ['pending', 'queued', null],
    ['scheduled', 'queued', null], ['manual', 'queued', null], ['running', 'in_progress', null],
    ['success', 'completed', 'success'], ['failed', 'completed', 'failure'], ['canceled', 'completed', 'cancelled'],
    ['canceling', 'completed', 'cancelled'], ['skipped', 'completed', 'skipped'],
  ])('%s is %s (%s)', (gitlab, status, conclusion) => {
    expect(buildStatusOf(gitlab)).toEqual({ status, conclusion });
  });
});

describe('how long GitLab asked Deckhand to wait', () => {
  const now = Date.parse('2026-12-07T02:00:00Z');
  it.each([
    ['Retry-After in seconds', 429, { 'retry-after': '30' }, 30_000],
    ['RateLimit-Reset in epoch seconds', 429, { 'ratelimit-reset': String(now / 1000 + 12) }, 12_000],
    ['a bare 429', 429, {}, 60_000],
    ['a 403 (a permission problem, not a limit)', 403, { 'retry-after': '30' }, undefined],
  ])('%s', (_what, status, headers, ms) => {
    expect(gitLabWaitMs(status, headers, now)).toBe(ms);
  });
});
