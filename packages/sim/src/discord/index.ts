/**
 * The simulated Discord: the REST API discord.js talks to (messages, webhooks, interaction follow-ups, command
 * registration) and the other direction — signed interactions delivered to Deckhand's endpoint, as Discord
 * sends them when someone types a slash command or clicks a button. The sandbox prints its channel to the console.
 */
export { SIM_GUILD_ID, startDiscordApiServer, type DiscordApiServer, type DiscordApiServerOptions, type RecordedDiscordCall, type SimDiscordMessage } from './discord-api-server.ts';
export { createInteractionSigner, type InteractionSigner, type SignedHeaders } from './interaction-signer.ts';
export { sendInteraction, type InteractionAnswer } from './send-interaction.ts';
export { buttonInteraction, pingInteraction, slashCommandInteraction, type SimDiscordUser } from './build-interaction.ts';
export { renderMessageText } from './render-message-text.ts';
export { startSandboxDiscord, type SandboxDiscord, type SandboxReleaseRoute } from './start-sandbox-discord.ts';
