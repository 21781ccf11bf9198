import { describe, expect, it } from 'vitest';
import type { Deploy } from '../../src/deploy/index.ts';
import { renderCard } from '../../src/notify/index.ts';

function deploy(over: Partial<Deploy> = {}): Deploy {
  return {
    id: '7', service: 'api', env: 'staging', channel: 'C1', phase: 'awaiting_approval', step: 'gate', steering: {}, state: {},
    action: { kind: 'deploy', version: 'v1.5.1', strategy: { kind: 'rolling' } },
    requestedBy: { id: 'U1', name: 'alice', platform: 'slack', groups: [] },
    approvals: [], createdAt: '', updatedAt: '', ...over,
  };
}

const linesOf = (d: Deploy): string[] => renderCard(d).lines.map(String);

describe('the card says a downgrade plainly, for its whole life', () => {
  it('while waiting: against what ran when it was asked for', () => {
    expect(linesOf(deploy({ state: { runningAtRequest: 'v1.5.3' } }))[0]).toBe('⚠️ v1.5.3 → v1.5.1 is a downgrade');
  });

  it('once rolling out and after: against what the rollout replaced', () => {
    const state = { runningAtRequest: 'v1.5.0', fromImage: 'registry.local/acme/api:v1.5.3@sha256:' + 'a'.repeat(64) };
    expect(linesOf(deploy({ phase: 'rolling_out', state }))).toContain('⚠️ v1.5.3 → v1.5.1 is a downgrade');
    expect(linesOf(deploy({ phase: 'succeeded', state }))).toContain('⚠️ v1.5.3 → v1.5.1 is a downgrade');
  });

  it('says nothing for an upgrade, a first deploy, or a rollback', () => {
    expect(linesOf(deploy({ state: { runningAtRequest: 'v1.4.0' } })).join('\n')).not.toContain('downgrade');
    expect(linesOf(deploy()).join('\n')).not.toContain('downgrade');
    const rollback = deploy({ action: { kind: 'rollback', toVersion: 'v1.4.0' }, state: { fromImage: 'registry.local/acme/api:v1.5.0' } });
    expect(linesOf(rollback).join('\n')).not.toContain('downgrade');
  });
});
