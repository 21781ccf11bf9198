import { DeckhandError } from '../../errors.ts';

/**
 * Wraps a failed Discord call. discord.js errors carry the request URL, and webhook and interaction URLs contain
 * their token, so the cause kept for the record is rebuilt from the status and Discord's code only — never the
 * URL, never the original error object.
 */
export function toDiscordError(err: unknown, doing: string): DeckhandError {
  if (err instanceof DeckhandError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as { status?: unknown; code?: unknown; method?: unknown; rawError?: { message?: unknown }; name?: unknown };
  const status = typeof e.status === 'number' ? e.status : undefined;
  const cause = {
    name: typeof e.name === 'string' ? e.name : 'Error',
    status,
    code: typeof e.code === 'number' || typeof e.code === 'string' ? e.code : undefined,
    method: typeof e.method === 'string' ? e.method : undefined,
    discordMessage: typeof e.rawError?.message === 'string' ? e.rawError.message : undefined,
  };
  const why = status === undefined ? 'Discord could not be reached' : `Discord answered HTTP ${status}`;
  return new DeckhandError('discord_api_error', `Could not ${doing}: ${why}.`, { cause });
}
