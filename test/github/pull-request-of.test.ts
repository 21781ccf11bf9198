import { describe, expect, it } from 'vitest';
import { pullRequestOf } from '../../src/github/index.ts';

describe('pullRequestOf', () => {
  it.each([
    ['a merge commit, title from its body', 'Merge pull request #11 from acme/idempotency-keys\n\nfeat(payments): idempotency keys', { number: 11, title: 'feat(payments): idempotency keys' }],
    ['a merge commit without a body', 'Merge pull request #4 from acme/x', { number: 4, title: 'Merge pull request #4 from acme/x' }],
    ['a squash merge', 'fix: timeout on slow card issuers (#12)\n\n* retry\n* tests', { number: 12, title: 'fix: timeout on slow card issuers' }],
    ['a direct commit', 'docs: explain refunds', undefined],
    ['an issue reference inside the subject', 'fix #12 in the parser', undefined],
  ])('%s', (_what, message, expected) => {
    expect(pullRequestOf(message)).toEqual(expected);
  });
});
