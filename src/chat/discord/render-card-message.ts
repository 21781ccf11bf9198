import { ActionRowBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder, type APIActionRowComponent, type APIButtonComponent, type APIEmbed } from 'discord.js';
import { progressBar } from '../console/index.ts';
import type { Card, CardAction } from '../types.ts';
import { encodeCustomId } from './custom-id.ts';

/** The body of a card message: what `POST/PATCH /channels/{id}/messages` takes. */
export interface CardMessage {
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
}

/** Colours by the status's leading emoji; the card's words are the source of truth, the colour is a hint. */
const COLORS: [string, number][] = [
  ['✅', 0x2e7d32], ['❌', 0xc62828], ['🚫', 0xc62828], ['🛑', 0x757575], ['⌛', 0x757575],
  ['↩️', 0xef6c00], ['⏳', 0xf9a825], ['🚀', 0x1565c0], ['🔨', 0x1565c0], ['🕐', 0x1565c0],
];

function colorOf(status: string): number {
  return COLORS.find(([emoji]) => status.startsWith(emoji))?.[1] ?? 0x5865f2;
}

const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function buttonOf(action: CardAction, deployId: string): ButtonBuilder {
  return new ButtonBuilder()
    // Discord buttons have no built-in confirm: a button that needs one asks first (see the adapter).
    .setCustomId(encodeCustomId({ kind: action.confirm ? 'ask' : 'act', action: action.id, deployId }))
    .setLabel(action.label)
    .setStyle(action.style === 'primary' ? ButtonStyle.Primary : action.style === 'danger' ? ButtonStyle.Danger : ButtonStyle.Secondary);
}

/**
 * A deploy card as a Discord message: one embed (status, progress bar, lines, fields) and one row of buttons.
 * The final card has no buttons left but the ones the card still offers (a rollback after success).
 */
export function renderCardMessage(card: Card): CardMessage {
  const description = [
    `**${card.status}**`,
    ...(card.progress ? [`\`${progressBar(card.progress.done, card.progress.total)}\` ${card.progress.label}`] : []),
    ...card.lines,
  ].join('\n');
  const embed = new EmbedBuilder()
    .setTitle(clip(card.title, 256))
    .setDescription(clip(description, 4096))
    .setColor(colorOf(card.status))
    .setFooter({ text: `Deploy #${card.deployId}` });
  if (card.fields.length) embed.addFields(card.fields.slice(0, 25).map((f) => ({ name: clip(f.label, 256), value: clip(f.value || '—', 1024), inline: true })));
  const buttons = card.actions.slice(0, 5).map((a) => buttonOf(a, card.deployId));
  const components = buttons.length ? [new ActionRowBuilder<ButtonBuilder>().addComponents(buttons).toJSON()] : [];
  return { embeds: [embed.toJSON()], components };
}
