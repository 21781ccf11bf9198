import { REST } from 'discord.js';

export const DEFAULT_DISCORD_API = 'https://discord.com/api';

/**
 * discord.js's REST client, pointed at `apiUrl` (DISCORD_API_URL: a proxy, or the simulated Discord in tests and
 * the sandbox). It queues per rate-limit bucket and honours 429 `retry_after` itself, so callers never sleep.
 */
export function createDiscordRest(options: { botToken?: string; apiUrl?: string; timeoutMs?: number }): REST {
  const rest = new REST({ api: options.apiUrl ?? DEFAULT_DISCORD_API, version: '10', timeout: options.timeoutMs ?? 15_000, retries: 2 });
  if (options.botToken) rest.setToken(options.botToken);
  return rest;
}
