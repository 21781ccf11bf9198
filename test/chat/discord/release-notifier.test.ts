import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReleaseNotifier, type ReleaseNotifier } from '../../../src/chat/discord/index.ts';
import { loadConfigText, type Config } from '../../../src/config/index.ts';
import type { Deploy } from '../../../src/deploy/index.ts';
import { startDiscordApiServer, type DiscordApiServer } from '@deckhand/sim/discord';

const SERVICES = `
services:
  api:
    team: payments
    repository: acme/api
    image: registry.local/acme/api
    versionPattern: 'v\\d+\\.\\d+\\.\\d+'
    environments:
      staging: { namespace: staging, deployment: api, container: api, replicas: 1 }
      production: { namespace: production, deployment: api, container: api, replicas: 1 }
  web:
    team: storefront
    repository: acme/web
    image: registry.local/acme/web
    versionPattern: 'v\\d+\\.\\d+\\.\\d+'
    environments:
      production: { namespace: production, deployment: web, container: web, replicas: 1 }
`;

const alice = { id: '100000000000000001', name: 'alice', platform: 'discord' as const, groups: [] };
const bob = { id: '100000000000000002', name: 'bob', platform: 'discord' as const, groups: [] };

function deploy(over: Partial<Deploy> = {}): Deploy {
  return {
    id: '12', service: 'api', env: 'production', channel: '900000000000000010',
    action: { kind: 'deploy', version: 'v1.5.0', strategy: { kind: 'rolling' } },
    requestedBy: alice, phase: 'succeeded', step: 'done',
    steering: {},
    state: { fromImage: 'registry.local/acme/api:v1.4.0', toImage: 'registry.local/acme/api:v1.5.0' },
    approvals: [{ actor: bob, at: '2026-11-22T10:00:30.000Z', vote: 'approve' }],
    createdAt: '2026-11-22T10:00:00.000Z', updatedAt: '2026-11-22T10:02:05.000Z', finishedAt: '2026-11-22T10:02:05.000Z',
    summary: 'api v1.5.0 is live in production (3/3 pods).',
    ...over,
  };
}

type Embed = { title: string; description?: string; color: number; url?: string; timestamp?: string; footer: { text: string }; fields: { name: string; value: string }[] };
const field = (e: Embed, name: string): string | undefined => e.fields.find((f) => f.name === name)?.value;

describe('release notices on Discord (real discord.js WebhookClient and REST against the simulated Discord)', () => {
  let discord: DiscordApiServer;
  let notifier: ReleaseNotifier;
  let webhook: string;

  function configWith(routes: string, env: Record<string, string> = {}): Config {
    const r = loadConfigText(`${SERVICES}discord:\n  releases:\n${routes}`, 'deckhand.yaml', env);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    return r.config;
  }

  beforeEach(async () => {
    discord = await startDiscordApiServer({ botToken: 'bot-token-123' });
    webhook = discord.webhookUrl('700000000000000001');
    notifier = createReleaseNotifier({ config: configWith(`    - { teams: [payments], webhook: '${webhook}' }\n`) });
  });
  afterEach(async () => {
    await notifier.close();
    await discord.close();
  });

  const lastEmbed = (channel = '700000000000000001'): Embed => discord.channelMessages(channel).at(-1)!.embeds[0] as Embed;

  it.each([
    ['success', deploy(), '✅ api v1.5.0 released to production', 0x2e7d32, { 'Previous version': 'v1.4.0' }],
    ['failure', deploy({ phase: 'failed', summary: 'The rollout failed and v1.4.0 could not be restored.' }), '❌ api v1.5.0 failed in production', 0xc62828, { 'Previous version': 'v1.4.0' }],
    ['abort', deploy({ phase: 'aborted', summary: 'Aborted by alice; v1.4.0 restored.' }), '🛑 api v1.5.0 aborted in production', 0x757575, { Restored: 'v1.4.0' }],
    ['rollback', deploy({ phase: 'rolled_back', summary: 'Pods never became ready; v1.4.0 restored.' }), '↩️ api v1.5.0 rolled back in production', 0xef6c00, { Restored: 'v1.4.0' }],
    ['rollback', deploy({
      action: { kind: 'rollback', toVersion: 'v1.4.0' }, approvals: [],
      state: { fromImage: 'registry.local/acme/api:v1.5.0', toImage: 'registry.local/acme/api:v1.4.0' },
    }), '↩️ api rolled back to v1.4.0 in production', 0xef6c00, { 'Rolled back from': 'v1.5.0', 'Approved by': 'no approval needed' }],
  ])('%s: %s', async (outcome, d, title, color, extraFields) => {
    const notice = await notifier.notify(d, { releaseNotes: '### Features\n- faster checkout (#41)', links: [{ label: 'Build', url: 'https://github.example/acme/api/actions/runs/7' }] });

    expect(notice).toEqual({ outcome, delivered: ['discord.releases[0] (webhook)'], failed: [] });
    const e = lastEmbed();
    expect(e.title).toBe(title);
    expect(e.color).toBe(color);
    expect(e.url).toBe('https://github.example/acme/api/actions/runs/7');
    expect(e.description).toContain(d.summary);
    // Release notes are user text (anyone writes a PR title): their markdown is shown, not applied.
    // Only a success released them: otherwise they are what the version would have brought.
    expect(e.description).toContain(`**${outcome === 'success' ? 'Release notes' : 'Not released'}**\n\\### Features\n\\- faster checkout (#41)`);
    expect(field(e, 'Service')).toBe('api');
    expect(field(e, 'Environment')).toBe('production');
    expect(field(e, 'Requested by')).toBe('alice');
    expect(field(e, 'Duration')).toBe('2m 5s');
    expect(field(e, 'Links')).toBe('[Build](https://github.example/acme/api/actions/runs/7)');
    expect(e.footer.text).toBe('Deckhand · deploy #12');
    expect(e.timestamp).toBe('2026-11-22T10:02:05.000Z');
    for (const [name, value] of Object.entries(extraFields)) expect(field(e, name)).toBe(value);
    if (d.action.kind === 'deploy') expect(field(e, 'Approved by')).toBe('bob');
    // Posted through the webhook, which needs no bot token.
    const call = discord.calls.at(-1)!;
    expect(call.method).toBe('POST');
    expect(call.route).toMatch(/^\/webhooks\/\d+\/\w+$/);
    expect(call.query.wait).toBe('true');
    expect(call.authorization).toBeUndefined();
  });

  it.each(['denied', 'expired', 'rolling_out'] as const)('sends nothing for a %s deploy', async (phase) => {
    expect(await notifier.notify(deploy({ phase }))).toEqual({ outcome: undefined, delivered: [], failed: [] });
    expect(discord.calls).toEqual([]);
  });

  it('routes by service, team, environment and outcome; each destination once; channels as the bot', async () => {
    await notifier.close();
    notifier = createReleaseNotifier({
      config: configWith([
        `    - { teams: [payments], environments: [production], webhook: '${webhook}' }`,
        `    - { services: [api], webhook: '${webhook}' }`,
        `    - { services: [web], channel: '700000000000000002' }`,
        `    - { outcomes: [failure], channel: '700000000000000003' }`,
      ].join('\n') + '\n', { DISCORD_BOT_TOKEN: 'bot-token-123', DISCORD_APPLICATION_ID: '1', DISCORD_API_URL: discord.apiUrl }),
    });

    const a = await notifier.notify(deploy());
    const b = await notifier.notify(deploy({ service: 'web', phase: 'failed', action: { kind: 'deploy', version: 'v2.1.1', strategy: { kind: 'canary', percent: 10 } } }));
    const c = await notifier.notify(deploy({ env: 'staging' }));

    expect(a.delivered).toEqual(['discord.releases[0] (webhook)']);
    expect(b.delivered.sort()).toEqual(['discord.releases[2] (channel 700000000000000002)', 'discord.releases[3] (channel 700000000000000003)']);
    expect(c.delivered).toEqual(['discord.releases[1] (webhook)']);
    expect(lastEmbed('700000000000000002').title).toBe('❌ web v2.1.1 failed in production');
    expect(discord.calls.filter((x) => x.route.startsWith('/channels/')).every((x) => x.authorization === 'Bot bot-token-123')).toBe(true);
  });

  it('refuses at startup a channel route without a bot token', () => {
    expect(() => createReleaseNotifier({ config: configWith(`    - { channel: '700000000000000002' }\n`) }))
      .toThrow(expect.objectContaining({ code: 'config_invalid', userMessage: expect.stringContaining('discord.releases[0] posts to a channel as the bot') }));
  });

  it('a failed post is returned and logged without the webhook URL or token', async () => {
    const logged: object[] = [];
    await notifier.close();
    notifier = createReleaseNotifier({ config: configWith(`    - { teams: [payments], webhook: '${webhook}' }\n`), log: { error: (o) => logged.push(o) } });
    discord.failNext(/^\/webhooks\//, 403, 10);

    const notice = await notifier.notify(deploy());

    expect(notice.delivered).toEqual([]);
    expect(notice.failed).toHaveLength(1);
    expect(notice.failed[0]!.error).toMatchObject({ code: 'discord_api_error', userMessage: 'Could not post the release notice of deploy #12 to discord.releases[0] (webhook): Discord answered HTTP 403.' });
    const token = webhook.split('/').at(-1)!;
    const everything = JSON.stringify([notice.failed[0]!.error.message, notice.failed[0]!.error.cause, logged]);
    expect(everything).not.toContain(token);
    expect(everything).not.toContain('/webhooks/');
  });

  it('rides out a rate limit (discord.js honours retry_after)', async () => {
    discord.failNext(/^\/webhooks\//, 429, 1);
    const notice = await notifier.notify(deploy());
    expect(notice.delivered).toHaveLength(1);
    expect(discord.calls.filter((c) => c.route.startsWith('/webhooks/'))).toHaveLength(2);
  });

  it('trims long release notes to fit an embed', async () => {
    await notifier.notify(deploy(), { releaseNotes: 'x'.repeat(10_000) });
    const e = lastEmbed();
    expect(e.description!.length).toBeLessThanOrEqual(4096);
    expect(e.description!.endsWith('…')).toBe(true);
  });
});
