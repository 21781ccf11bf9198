import type { APIEmbedField } from 'discord.js';
import type { ChatText } from '../../deploy/index.ts';
import { renderDiscordPlainText, renderDiscordText } from './render-discord-text.ts';

/** Discord's embed limits; a message whose embeds break one is refused outright (HTTP 400). */
export const EMBED_LIMITS = { title: 256, description: 4096, fields: 25, fieldName: 256, fieldValue: 1024, footer: 2048, total: 6000 } as const;

/** The room the description (status and news) keeps before long fields may take it. */
const DESCRIPTION_FLOOR = 1000;

export interface EmbedText {
  title: ChatText;
  description?: ChatText;
  fields: { name: string; value: ChatText; inline: boolean }[];
  /** Shown without markdown. */
  footer: string;
}

export interface RenderedEmbedText {
  title: string;
  description?: string;
  fields: APIEmbedField[];
  footer: { text: string };
}

/** The largest per-value cap at which the values, each cut to it, fit in `room` together (at least 1). */
function capFor(lengths: number[], room: number): number {
  let lo = 1;
  let hi = EMBED_LIMITS.fieldValue;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (lengths.reduce((n, l) => n + Math.min(l, mid), 0) <= room) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * An embed's texts rendered for Discord within every limit, the 6,000-character total included: each part is cut
 * to its own limit; if the fields would leave the description less than its floor, the longest field values are
 * cut to a common length first; the description gets what is left.
 */
export function renderDiscordEmbedText(e: EmbedText): RenderedEmbedText {
  const title = renderDiscordText(e.title, EMBED_LIMITS.title);
  const footer = renderDiscordPlainText(e.footer, EMBED_LIMITS.footer);
  const shown = e.fields.slice(0, EMBED_LIMITS.fields);
  const names = shown.map((f) => renderDiscordText(f.name, EMBED_LIMITS.fieldName) || '—');
  const fixed = title.length + footer.length + names.reduce((n, s) => n + s.length, 0);
  const wantedDescription = e.description ? renderDiscordText(e.description, EMBED_LIMITS.description).length : 0;
  const full = shown.map((f) => renderDiscordText(f.value, EMBED_LIMITS.fieldValue));
  const room = EMBED_LIMITS.total - fixed - Math.min(wantedDescription, DESCRIPTION_FLOOR);
  const cap = capFor(full.map((v) => Math.max(v.length, 1)), room);
  // Discord refuses an empty field value.
  const values = shown.map((f, i) => (full[i]!.length <= cap ? full[i]! : renderDiscordText(f.value, cap)) || '—');
  const fields = shown.map((f, i) => ({ name: names[i]!, value: values[i]!, inline: f.inline }));
  const used = fixed + values.reduce((n, s) => n + s.length, 0);
  const description = e.description ? renderDiscordText(e.description, Math.min(EMBED_LIMITS.description, EMBED_LIMITS.total - used)) : '';
  return { title, ...(description && { description }), fields, footer: { text: footer } };
}
