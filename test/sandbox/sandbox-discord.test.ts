import { describe, expect, it } from 'vitest';
import { createReleaseNotifier } from '../../src/chat/discord/index.ts';
import { loadConfigText } from '../../src/config/index.ts';
import type { Deploy } from '../../src/deploy/index.ts';
import { startSandboxDiscord } from '@deckhand/sim/discord';

describe('the sandbox\'s simulated Discord', () => {
  it('prints release notices, release notes included, as the #releases channel would show them', async () => {
    const printed: string[] = [];
    const sandbox = await startSandboxDiscord({ print: (t) => printed.push(t) });
    const loaded = loadConfigText(`services:\n  api:\n    team: payments\n    repository: acme/api\n    image: registry.local/acme/api\n    versionPattern: 'v.*'\n    environments:\n      staging: { namespace: staging, deployment: api, container: api, replicas: 1 }\n`, 'deckhand.yaml', {});
    if (!loaded.ok) throw new Error('config');
    const notifier = createReleaseNotifier({ config: { ...loaded.config, discord: { releases: sandbox.releases } } });
    const actor = { id: 'you', name: 'you', platform: 'console' as const, groups: [] };
    const d: Deploy = {
      id: '3', service: 'api', env: 'staging', channel: 'console', action: { kind: 'deploy', version: 'v1.5.0', strategy: { kind: 'rolling' } },
      requestedBy: actor, phase: 'succeeded', step: 'done', steering: {}, state: { fromImage: 'registry.local/acme/api:v1.4.0' }, approvals: [],
      createdAt: '2026-11-22T10:00:00.000Z', updatedAt: '2026-11-22T10:00:09.000Z', finishedAt: '2026-11-22T10:00:09.000Z', summary: 'api v1.5.0 is live in staging.',
    };

    const notice = await notifier.notify(d, { releaseNotes: '- faster checkout (#41)' });
    await notifier.close();
    await sandbox.close();

    expect(notice.delivered).toHaveLength(1);
    expect(printed).toEqual([[
      '[discord #releases]',
      '  ✅ api v1.5.0 released to staging',
      '  api v1.5.0 is live in staging.',
      '',
      '  **Release notes**',
      '  - faster checkout (#41)',
      '  Service: api · Version: v1.5.0 · Environment: staging · Requested by: you · Approved by: no approval needed · Duration: 9s · Previous version: v1.4.0',
      '  — Deckhand · deploy #3',
    ].join('\n')]);
  });
});
