import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../commands/index.ts';
import { buildSlashCommands, registerDiscordCommands } from '../../../src/chat/discord/index.ts';
import { startDiscordApiServer, type DiscordApiServer } from '@deckhand/sim/discord';

const verbs = [...COMMANDS.values()];

describe('deckhand discord register', () => {
  let discord: DiscordApiServer;
  beforeEach(async () => { discord = await startDiscordApiServer({ botToken: 'tok' }); });
  afterEach(async () => { await discord.close(); });

  it('PUTs one command per verb plus /deckhand as global commands', async () => {
    const done = await registerDiscordCommands({ botToken: 'tok', applicationId: '42', apiUrl: discord.apiUrl }, verbs);

    expect(done.scope).toBe('global');
    expect(done.names).toEqual([...verbs.map((v) => v.name), 'deckhand']);
    const [call] = discord.calls;
    expect(call).toMatchObject({ method: 'PUT', route: '/applications/42/commands', authorization: 'Bot tok' });
    const body = call!.body as { name: string; description: string; type?: number; options?: { name: string; type: number; required: boolean; description: string }[] }[];
    expect(body.find((c) => c.name === 'deploy')).toEqual(expect.objectContaining({
      name: 'deploy', description: 'Roll a version of a service out to an environment.', type: 1,
      options: [expect.objectContaining({ type: 3, name: 'args', required: true, description: expect.stringMatching(/^<service> <version> \[to <env>\]/) })],
    }));
    expect(body.find((c) => c.name === 'status')?.options).toEqual([expect.objectContaining({ name: 'args', required: false })]);
    expect(body.find((c) => c.name === 'deckhand')?.options).toEqual([expect.objectContaining({ name: 'command', type: 3, required: true })]);
    for (const c of body) {
      expect(c.name).toMatch(/^[a-z][a-z0-9_-]{0,31}$/);
      expect(c.description.length).toBeLessThanOrEqual(100);
      for (const o of c.options ?? []) expect(o.description.length).toBeLessThanOrEqual(100);
    }
  });

  it('registers guild commands when DISCORD_GUILD_ID is set, and is idempotent', async () => {
    const rt = { botToken: 'tok', applicationId: '42', guildId: '77', apiUrl: discord.apiUrl };
    await registerDiscordCommands(rt, verbs);
    const again = await registerDiscordCommands(rt, verbs);

    expect(again.scope).toBe('guild 77');
    expect(discord.calls.map((c) => `${c.method} ${c.route}`)).toEqual(['PUT /applications/42/guilds/77/commands', 'PUT /applications/42/guilds/77/commands']);
    expect(discord.commands.get('77')).toHaveLength(verbs.length + 1);
  });

  it('says what to set when Discord is not configured, and what Discord said when it refuses', async () => {
    await expect(registerDiscordCommands(undefined, verbs)).rejects.toMatchObject({ code: 'config_invalid', userMessage: expect.stringContaining('DISCORD_BOT_TOKEN') });
    await expect(registerDiscordCommands({ botToken: 'wrong', applicationId: '42', apiUrl: discord.apiUrl }, verbs))
      .rejects.toMatchObject({ code: 'discord_api_error', userMessage: 'Could not register the Discord slash commands: Discord answered HTTP 401.' });
  });

  it('names the catch-all command after the bot', () => {
    expect(buildSlashCommands([], 'Shipit').map((c) => c.name)).toEqual(['shipit']);
  });
});
