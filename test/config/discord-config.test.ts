import { describe, expect, it } from 'vitest';
import { formatConfigProblems, loadConfigText } from '../../src/config/index.ts';

const BASE = `
services:
  api:
    team: payments
    repository: acme/api
    image: registry.local/acme/api
    versionPattern: 'v\\d+'
    environments:
      production: { namespace: production, deployment: api, container: api, replicas: 1 }
`;
const WEBHOOK = `https://discord.com/api/webhooks/123456789012345678/${'t'.repeat(68)}`;

function load(discord: string) {
  return loadConfigText(`${BASE}discord:\n${discord}`, 'deckhand.yaml', {});
}

function problems(discord: string): string[] {
  const r = load(discord);
  if (r.ok) throw new Error('expected problems');
  return formatConfigProblems(r.problems).split('\n');
}

describe('discord: release routes in deckhand.yaml', () => {
  it('reads webhook and channel routes into destinations', () => {
    const r = load(`  releases:\n    - { teams: [payments], environments: [production], webhook: '${WEBHOOK}' }\n    - { services: [api], outcomes: [failure, rollback], channel: '123456789012345678' }\n`);
    if (!r.ok) throw new Error(formatConfigProblems(r.problems));
    expect(r.config.discord?.releases).toEqual([
      { teams: ['payments'], environments: ['production'], destination: { kind: 'webhook', url: WEBHOOK } },
      { services: ['api'], outcomes: ['failure', 'rollback'], destination: { kind: 'channel', channelId: '123456789012345678' } },
    ]);
  });

  it('is optional', () => {
    const r = loadConfigText(BASE, 'deckhand.yaml', {});
    expect(r.ok && r.config.discord).toBeUndefined();
  });

  it.each([
    ['both destinations', `  releases:\n    - { webhook: '${WEBHOOK}', channel: '123456789012345678' }\n`, 'give exactly one of `webhook`'],
    ['no destination', `  releases:\n    - { services: [api] }\n`, 'give exactly one of `webhook`'],
    ['an unquoted channel id', `  releases:\n    - { channel: 123456789012345678 }\n`, 'must be a channel id in quotes'],
    ['an unknown service', `  releases:\n    - { services: [apii], channel: '123456789012345678' }\n`, '`apii` is not a service in services'],
    ['an unknown team', `  releases:\n    - { teams: [storefront], channel: '123456789012345678' }\n`, '`storefront` is not the team of any service'],
    ['an unknown outcome', `  releases:\n    - { outcomes: [succeeded], channel: '123456789012345678' }\n`, 'must be one of success, failure, abort, rollback'],
    ['a misspelt key', `  releases:\n    - { chanel: '123456789012345678' }\n`, 'did you mean `channel`?'],
  ])('reports %s at its place', (_name, yaml, message) => {
    expect(problems(yaml).join('\n')).toContain(message);
  });

  it('never repeats a webhook URL in a problem (it is a secret)', () => {
    const secret = `https://discord.com/api/hooks/123456789012345678/${'s'.repeat(68)}`;
    const text = problems(`  releases:\n    - { webhook: '${secret}' }\n`).join('\n');
    expect(text).toContain('must be a Discord webhook URL');
    expect(text).not.toContain('s'.repeat(20));
  });
});
