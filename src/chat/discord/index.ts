/**
 * Discord, the one home of discord.js: the interactions endpoint and deploy cards (the chat adapter), release
 * notifications, and slash-command registration.
 */
export { createDiscordAdapter, type DiscordAdapter, type DiscordAdapterOptions, type InteractionsHandler, type InteractionRequest } from './discord-adapter.ts';
export { createReleaseNotifier, type ReleaseNotifier, type ReleaseNotifierOptions, type ReleaseNotice } from './create-release-notifier.ts';
export { renderReleaseEmbed, releaseOutcomeOf, formatDuration, type ReleaseExtras } from './render-release-embed.ts';
export { registerDiscordCommands, type RegisteredCommands } from './register-commands.ts';
export { buildSlashCommands, type SlashCommandSource } from './build-slash-commands.ts';
export { renderCardMessage, type CardMessage } from './render-card-message.ts';
export { verifyDiscordSignature, discordPublicKey } from './verify-discord-signature.ts';
export { encodeCustomId, decodeCustomId, type ButtonIntent } from './custom-id.ts';
export { readCommandText } from './read-command-text.ts';
