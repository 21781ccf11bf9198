interface EmbedLike {
  title?: string;
  description?: string;
  url?: string;
  fields?: { name: string; value: string; inline?: boolean }[];
  footer?: { text: string };
}

interface ComponentLike {
  components?: { label?: string; custom_id?: string; url?: string }[];
}

/** Markdown escapes as Discord shows them: a backslash before punctuation only makes it literal. */
const shown = (text: string): string => text.replace(/\\([^\p{L}\p{N}\s])/gu, '$1');

/**
 * A Discord message as console text, for the sandbox's simulated channel: `[#channel]` then content, each embed's
 * title, description and fields, and the buttons in brackets. Edits are marked so an updated card reads as one.
 */
export function renderMessageText(msg: { channel_id: string; content: string; embeds: unknown[]; components: unknown[]; flags: number }, edited: boolean): string {
  const lines: string[] = [];
  const head = `[discord #${msg.channel_id}${edited ? ' (edited)' : ''}${msg.flags & 64 ? ' (only you)' : ''}]`;
  if (msg.content) lines.push(`${head} ${shown(msg.content)}`);
  else lines.push(head);
  for (const e of msg.embeds as EmbedLike[]) {
    if (e.title) lines.push(`  ${shown(e.title)}${e.url ? ` <${e.url}>` : ''}`);
    if (e.description) lines.push(...shown(e.description).split('\n').map((l) => (l ? `  ${l}` : '')));
    // Inline fields share a line, as Discord lays them side by side; the others get their own.
    const inline = (e.fields ?? []).filter((f) => f.inline).map((f) => `${shown(f.name)}: ${shown(f.value)}`);
    if (inline.length) lines.push(`  ${inline.join(' · ')}`);
    for (const f of (e.fields ?? []).filter((x) => !x.inline)) lines.push(`  ${shown(f.name)}: ${shown(f.value).split('\n').join('\n    ')}`);
    if (e.footer?.text) lines.push(`  — ${e.footer.text}`);
  }
  const buttons = (msg.components as ComponentLike[]).flatMap((row) => row.components ?? []).map((b) => `[${b.label ?? b.custom_id ?? b.url}]`);
  if (buttons.length) lines.push(`  ${buttons.join(' ')}`);
  return lines.join('\n');
}
