import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runDiscordCommand } from '../../src/cli/discord.ts';
import { startDiscordApiServer, type DiscordApiServer } from '../../src/sim/discord/index.ts';

function capture(): { stream: PassThrough; text(): string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c: Buffer) => { text += c.toString('utf8'); });
  return { stream, text: () => text };
}

describe('deckhand discord register', () => {
  let discord: DiscordApiServer;
  beforeEach(async () => { discord = await startDiscordApiServer({ botToken: 'cli-token' }); });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await discord.close();
  });

  it('registers guild commands from the environment and says which', async () => {
    vi.stubEnv('DISCORD_BOT_TOKEN', 'cli-token');
    vi.stubEnv('DISCORD_APPLICATION_ID', '42');
    vi.stubEnv('DISCORD_GUILD_ID', '77');
    vi.stubEnv('DISCORD_API_URL', discord.apiUrl);
    const out = capture();

    const code = await runDiscordCommand(['register', '--config', 'deckhand.yaml'], out.stream);

    expect(code).toBe(0);
    expect(out.text()).toMatch(/^Registered 16 Discord commands \(guild 77\): \/deploy \/rollback .* \/deckhand\n$/);
    expect(discord.commands.get('77')).toHaveLength(16);
  });

  it('tells what is missing when Discord is not configured', async () => {
    vi.stubEnv('DISCORD_BOT_TOKEN', '');
    vi.stubEnv('DISCORD_APPLICATION_ID', '');
    const err = capture();
    expect(await runDiscordCommand(['register', '--config', 'deckhand.yaml'], capture().stream, err.stream)).toBe(1);
    expect(err.text()).toContain('Set DISCORD_BOT_TOKEN and DISCORD_APPLICATION_ID');
  });

  it('shows its usage for anything else', async () => {
    const err = capture();
    expect(await runDiscordCommand(['unregister'], capture().stream, err.stream)).toBe(2);
    expect(err.text()).toContain('deckhand discord register');
  });
});
