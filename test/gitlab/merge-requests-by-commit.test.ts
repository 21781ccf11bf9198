import { describe, expect, it } from 'vitest';
import { mergeRequestOfMessage, mergeRequestsByCommit } from '../../src/gitlab/merge-requests-by-commit.ts';

describe('naming commits by the merge request that landed them', () => {
  it('maps merge commits, squash commits and fast-forwarded heads to their request', () => {
    const byCommit = mergeRequestsByCommit([
      { iid: 4, title: 'feat: credit notes', merge_commit_sha: 'm4', squash_commit_sha: null, sha: 'h4' },
      { iid: 5, title: 'fix: VAT', merge_commit_sha: null, squash_commit_sha: 's5', sha: 'h5' },
    ]);
    expect(byCommit.get('m4')).toEqual({ iid: 4, title: 'feat: credit notes' });
    expect(byCommit.get('s5')).toEqual({ iid: 5, title: 'fix: VAT' });
    expect(byCommit.get('h5')).toEqual({ iid: 5, title: 'fix: VAT' });
  });

  it.each([
    ["Merge branch 'dunning' into 'main'\n\nfeat: dunning emails\n\nSee merge request acme/billing!9", { iid: 9, title: 'feat: dunning emails' }],
    ["Merge branch 'x' into 'main'\n\nSee merge request acme/sub/billing!12", { iid: 12, title: "Merge branch 'x' into 'main'" }],
    ['fix: a direct commit', undefined],
  ])('reads GitLab\'s default merge commit message %#', (message, expected) => {
    expect(mergeRequestOfMessage(message)).toEqual(expected);
  });
});
