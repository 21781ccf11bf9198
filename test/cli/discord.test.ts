import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { COMMANDS } from '../../commands/index.ts';
import { runCommandLine } from '../../src/cli/command-line.ts';
import { DECKHAND_COMMANDS } from '../../src/cli/deckhand-commands.ts';
import { startDiscordApiServer, type DiscordApiServer } from '@deckhand/sim/discord';

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

    const code = await runCommandLine(DECKHAND_COMMANDS, ['discord', 'register', '--config', 'deckhand.yaml'], { out: out.stream, err: capture().stream });

    // Every verb, plus /deckhand which takes any of them as text.
    const names = [...COMMANDS.keys(), 'deckhand'];
    expect(code).toBe(0);
    expect(out.text()).toBe(`Registered ${names.length} Discord commands (guild 77): ${names.map((n) => `/${n}`).join(' ')}\n`);
    expect(discord.commands.get('77')).toHaveLength(names.length);
  });

  it('tells what is missing when Discord is not configured', async () => {
    vi.stubEnv('DISCORD_BOT_TOKEN', '');
    vi.stubEnv('DISCORD_APPLICATION_ID', '');
    const err = capture();
    expect(await runCommandLine(DECKHAND_COMMANDS, ['discord', 'register', '--config', 'deckhand.yaml'], { out: capture().stream, err: err.stream })).toBe(1);
    expect(err.text()).toContain('Set DISCORD_BOT_TOKEN and DISCORD_APPLICATION_ID');
  });

  it('names an unknown subcommand and the one it has', async () => {
    const err = capture();
    expect(await runCommandLine(DECKHAND_COMMANDS, ['discord', 'unregister'], { out: capture().stream, err: err.stream })).toBe(2);
    expect(err.text()).toBe('deckhand discord: unknown command "unregister". The only command is register. See `deckhand discord --help`.\n');
  });
});
