import { describe, expect, it } from 'vitest';
import { imageFor, runSteps, type Artifact, type Deploy, type StepResult } from '../../src/deploy/index.ts';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const SIGNER = { identity: 'key SHA256:abc', issuer: null };

function draft(artifact?: Artifact): Deploy {
  const now = new Date(0).toISOString();
  return {
    id: '1', service: 'api', env: 'production', action: { kind: 'deploy', version: 'v1.5.0', strategy: { kind: 'rolling' } },
    requestedBy: { id: 'U1', name: 'alice', platform: 'console', groups: [] }, channel: 'c', phase: 'queued', step: 'gate',
    steering: {}, state: {}, approvals: [], createdAt: now, updatedAt: now, ...(artifact && { artifact }),
  };
}

/** Runs one step that answers `result`, then ends; returns the record as the runner left it. */
async function afterStep(start: Deploy, result: StepResult): Promise<Deploy> {
  let record = start;
  const records = {
    get: async () => record,
    update: async (_id: string, change: (d: Deploy) => Deploy | undefined) => { record = change(record) ?? record; return record; },
  };
  const steps = new Map([['gate', async () => result], ['start', async (): Promise<StepResult> => ({ kind: 'done', phase: 'succeeded', summary: 'ok' })]]);
  await runSteps({ records, deployId: '1', stepsFor: () => steps, emit: () => {}, signal: new AbortController().signal, onEnd: async () => {} });
  return record;
}

describe('the pinned artifact on the deploy record', () => {
  it('is pinned by a step that names it', async () => {
    expect((await afterStep(draft(), { kind: 'next', step: 'start', artifact: { digest: A, signer: SIGNER } })).artifact).toEqual({ digest: A, signer: SIGNER });
  });

  it('is never replaced by another digest (a tag moved since)', async () => {
    expect((await afterStep(draft({ digest: A }), { kind: 'next', step: 'start', artifact: { digest: B, signer: SIGNER } })).artifact).toEqual({ digest: A });
  });

  it('takes the signer the latest gate verified for the same digest', async () => {
    expect((await afterStep(draft({ digest: A }), { kind: 'next', step: 'start', artifact: { digest: A, signer: SIGNER } })).artifact).toEqual({ digest: A, signer: SIGNER });
  });

  it('makes the image reference carry the digest, so the runtime pulls exactly it', () => {
    const target = { namespace: 'p', deployment: 'api', container: 'api', image: 'registry.local/acme/api' };
    expect(imageFor(target, 'v1.5.0', A)).toBe(`registry.local/acme/api:v1.5.0@${A}`);
    expect(imageFor(target, 'v1.5.0')).toBe('registry.local/acme/api:v1.5.0');
  });
});
