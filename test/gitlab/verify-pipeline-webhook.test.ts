import { describe, expect, it } from 'vitest';
import { createPipelineWebhookVerifier } from '../../src/gitlab/index.ts';

const TOKEN = 'gitlab-hook-token';
const verify = createPipelineWebhookVerifier(TOKEN);
/** A Pipeline Hook body as GitLab sends it (trimmed). */
const hook = JSON.stringify({
  object_kind: 'pipeline',
  object_attributes: { id: 31, iid: 3, ref: 'v3.1.1', tag: true, status: 'success', source: 'api' },
  project: { id: 5001, path_with_namespace: 'acme/billing', web_url: 'https://gitlab.example.com/acme/billing' },
  builds: [],
});

describe('verifying a GitLab Pipeline Hook', () => {
  it('reads which pipeline of which project changed, as config names the project', async () => {
    expect(await verify({ 'x-gitlab-token': TOKEN, 'x-gitlab-event': 'Pipeline Hook' }, hook)).toEqual({
      kind: 'workflow_run', update: { repository: 'gitlab:acme/billing', runId: 31, action: 'success' },
    });
  });

  it.each([
    ['no token', {}, 'missing X-Gitlab-Token'],
    ['a wrong token', { 'x-gitlab-token': 'gitlab-hook-tokem' }, 'X-Gitlab-Token does not match'],
    ['a longer token', { 'x-gitlab-token': `${TOKEN}-and-more` }, 'X-Gitlab-Token does not match'],
    ['an empty token', { 'x-gitlab-token': '' }, 'X-Gitlab-Token does not match'],
  ])('rejects %s', async (_what, headers, reason) => {
    expect(await verify({ 'x-gitlab-event': 'Pipeline Hook', ...headers }, hook)).toEqual({ kind: 'rejected', reason });
  });

  it.each([
    ['another hook', { 'x-gitlab-event': 'Push Hook' }, hook, 'event Push Hook'],
    ['a body that is not JSON', { 'x-gitlab-event': 'Pipeline Hook' }, 'nope', 'body is not JSON'],
    ['a body that is not a pipeline', { 'x-gitlab-event': 'Pipeline Hook' }, '{"object_kind":"push"}', 'not a Pipeline Hook payload'],
  ])('ignores %s (authentic, but nothing to follow)', async (_what, headers, body, reason) => {
    expect(await verify({ 'x-gitlab-token': TOKEN, ...headers }, body)).toEqual({ kind: 'ignored', reason });
  });
});
