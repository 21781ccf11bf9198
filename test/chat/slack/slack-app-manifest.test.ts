import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMMANDS } from '../../../commands/index.ts';

interface Manifest {
  features: { slash_commands: { command: string; url: string; description: string; usage_hint?: string; should_escape: boolean }[] };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { request_url: string; bot_events: string[] }; interactivity: { is_enabled: boolean; request_url: string } };
}

const manifest = parse(readFileSync('slack-app.yaml', 'utf8')) as Manifest;

describe('slack-app.yaml', () => {
  it('declares every command of the registry, and /deckhand, all at Bolt\'s one endpoint', () => {
    const declared = manifest.features.slash_commands.map((c) => c.command);
    expect(declared).toEqual([...[...COMMANDS.keys()].map((n) => `/${n}`), '/deckhand']);
    for (const c of manifest.features.slash_commands) {
      expect(c.url).toMatch(/\/slack\/events$/);
      expect(c.description.length).toBeLessThanOrEqual(100);
      expect(c.should_escape).toBe(false);
    }
  });

  it('describes each command with the registry\'s summary', () => {
    for (const spec of COMMANDS.values()) {
      expect(manifest.features.slash_commands.find((c) => c.command === `/${spec.name}`)?.description).toBe(spec.summary);
    }
  });

  it('asks for the scopes the adapter uses, subscribes to its events and turns interactivity on', () => {
    expect(manifest.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['commands', 'chat:write', 'app_mentions:read', 'reactions:read', 'users:read', 'usergroups:read']));
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual(['app_mention', 'reaction_added', 'reaction_removed']);
    expect(manifest.settings.interactivity).toMatchObject({ is_enabled: true });
    expect(manifest.settings.interactivity.request_url).toMatch(/\/slack\/events$/);
    expect(manifest.settings.event_subscriptions.request_url).toMatch(/\/slack\/events$/);
  });
});
