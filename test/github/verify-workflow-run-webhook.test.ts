import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createWorkflowRunWebhookVerifier } from '../../src/github/index.ts';

const body = readFileSync(new URL('../fixtures/github/workflow-run-completed.json', import.meta.url), 'utf8');
const sign = (secret: string, text: string) => `sha256=${createHmac('sha256', secret).update(text).digest('hex')}`;

describe('createWorkflowRunWebhookVerifier', () => {
  const verify = createWorkflowRunWebhookVerifier('It’s a Secret to Everybody');

  it('reads which run a correctly signed workflow_run delivery is about, and nothing of its claimed outcome', async () => {
    const verdict = await verify({ 'x-github-event': 'workflow_run', 'x-hub-signature-256': sign('It’s a Secret to Everybody', body) }, body);
    expect(verdict).toEqual({ kind: 'workflow_run', update: { repository: 'acme/api', runId: 30433642, action: 'completed' } });
    expect(JSON.stringify(verdict)).not.toMatch(/failure|success|conclusion|html/);
  });

  it.each([
    ['a run id that is not a positive integer', (j: Record<string, unknown>) => ({ ...j, workflow_run: { id: -1 } })],
    ['a run id given as a string', (j: Record<string, unknown>) => ({ ...j, workflow_run: { id: '30433642' } })],
    ['no repository', (j: Record<string, unknown>) => ({ ...j, repository: undefined })],
  ])('ignores a signed delivery with %s', async (_what, change) => {
    const text = JSON.stringify(change(JSON.parse(body) as Record<string, unknown>));
    expect((await verify({ 'x-github-event': 'workflow_run', 'x-hub-signature-256': sign('It’s a Secret to Everybody', text) }, text)).kind).toBe('ignored');
  });

  it.each([
    ['no signature', {}],
    ['a signature with another secret', { 'x-hub-signature-256': sign('guess', body) }],
    ['a sha1 signature', { 'x-hub-signature-256': `sha1=${createHmac('sha1', 'It’s a Secret to Everybody').update(body).digest('hex')}` }],
    ['garbage', { 'x-hub-signature-256': 'sha256=zz' }],
  ])('rejects %s', async (_what, headers) => {
    expect((await verify({ 'x-github-event': 'workflow_run', ...headers }, body)).kind).toBe('rejected');
  });

  it('rejects a body changed after signing', async () => {
    const signature = sign('It’s a Secret to Everybody', body);
    expect((await verify({ 'x-github-event': 'workflow_run', 'x-hub-signature-256': signature }, body.replace('failure', 'success'))).kind).toBe('rejected');
  });

  it('ignores other signed events', async () => {
    const ping = '{"zen":"Keep it logically awesome."}';
    expect(await verify({ 'x-github-event': 'ping', 'x-hub-signature-256': sign('It’s a Secret to Everybody', ping) }, ping)).toEqual({ kind: 'ignored', reason: 'event ping' });
  });
});
