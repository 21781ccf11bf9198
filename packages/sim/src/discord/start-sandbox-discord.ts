import { startDiscordApiServer, type DiscordApiServer } from './discord-api-server.ts';

/** A release route of Deckhand's config (`discord.releases`), in the shape the sandbox hands it on. */
export interface SandboxReleaseRoute {
  destination: { kind: 'webhook'; url: string };
}

export interface SandboxDiscord {
  api: DiscordApiServer;
  /** One route sending every release notice to the simulated `#releases` channel (use when none are configured). */
  releases: SandboxReleaseRoute[];
  close(): Promise<void>;
}

/**
 * The sandbox's Discord when none is configured: the simulated API, whose `#releases` channel is printed through
 * `print`, so release notices (with their release notes) show in the console as they would in Discord.
 */
export async function startSandboxDiscord(options: { print: (text: string) => void }): Promise<SandboxDiscord> {
  const api = await startDiscordApiServer({ print: options.print });
  return {
    api,
    releases: [{ destination: { kind: 'webhook', url: api.webhookUrl('releases') } }],
    close: () => api.close(),
  };
}
