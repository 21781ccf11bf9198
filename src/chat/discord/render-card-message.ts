import { ActionRowBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder, type APIActionRowComponent, type APIButtonComponent, type APIEmbed } from 'discord.js';
import { chat, joinChat, type DeployLink } from '../../deploy/index.ts';
import { progressBar } from '../console/index.ts';
import type { Card, CardAction } from '../types.ts';
import { encodeCustomId } from './custom-id.ts';
import { renderDiscordEmbedText } from './render-discord-embed.ts';
import { renderDiscordPlainText } from './render-discord-text.ts';

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

/** Discord's limit on a button's label, and on a link button's URL. */
const LABEL_MAX = 80;
const LINK_URL_MAX = 512;

function linkButtonOf(link: DeployLink): ButtonBuilder {
  return new ButtonBuilder().setStyle(ButtonStyle.Link).setURL(link.url).setLabel(renderDiscordPlainText(link.label, LABEL_MAX) || 'link');
}

function buttonOf(action: CardAction, deployId: string): ButtonBuilder {
  return new ButtonBuilder()
    // Discord buttons have no built-in confirm: a button that needs one asks first (see the adapter).
    .setCustomId(encodeCustomId({ kind: action.confirm ? 'ask' : 'act', action: action.id, deployId }))
    .setLabel(renderDiscordPlainText(action.label, LABEL_MAX))
    .setStyle(action.style === 'primary' ? ButtonStyle.Primary : action.style === 'danger' ? ButtonStyle.Danger : ButtonStyle.Secondary);
}

/**
 * A deploy card as a Discord message: one embed (status, progress bar, lines, fields), one row of buttons, and the
 * service's links as rows of link buttons.
 * The final card has no buttons left but the ones the card still offers (a rollback after success). Within every
 * embed limit however long the reason, notes or names.
 */
export function renderCardMessage(card: Card): CardMessage {
  const p = card.progress;
  const description = joinChat([
    chat`*${card.status}*`,
    ...(p ? [chat`\`${progressBar(p.done, p.total)}\` ${p.label}`] : []),
    ...card.lines,
  ], '\n');
  const text = renderDiscordEmbedText({
    title: card.title,
    description,
    fields: card.fields.map((f) => ({ name: f.label, value: f.value, inline: true })),
    footer: `Deploy #${card.deployId}`,
  });
  const embed = new EmbedBuilder()
    .setTitle(text.title)
    .setColor(colorOf(card.status.toString()))
    .setFooter(text.footer);
  if (text.description) embed.setDescription(text.description);
  if (text.fields.length) embed.addFields(text.fields);
  const buttons = card.actions.slice(0, 5).map((a) => buttonOf(a, card.deployId));
  const components = buttons.length ? [new ActionRowBuilder<ButtonBuilder>().addComponents(buttons).toJSON()] : [];
  // The service's links as link buttons (no markdown to escape: Discord opens the URL as given), five to a row.
  const links = (card.links ?? []).filter((l) => /^https?:\/\//i.test(l.url) && l.url.length <= LINK_URL_MAX).slice(0, 10).map(linkButtonOf);
  for (let i = 0; i < links.length; i += 5) components.push(new ActionRowBuilder<ButtonBuilder>().addComponents(links.slice(i, i + 5)).toJSON());
  return { embeds: [embed.toJSON()], components };
}
