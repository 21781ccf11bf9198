import { escapeMarkdown } from 'discord.js';
import type { ChatText } from '../../deploy/index.ts';
import { cleanUserText, renderChat, truncateText, type ChatStyle } from '../safe-text.ts';

/** Discord's limit on a message's `content`. */
export const DISCORD_CONTENT_MAX = 2000;

/** Keeps `@everyone` and `@here` readable but no longer the words Discord highlights (and, allowed, would ping). */
const ZERO_WIDTH_SPACE = '\u200B';
/** A look-alike for a backtick typed inside a code span, which would otherwise end the span. */
const INERT_BACKTICK = 'ˋ';

/**
 * Discord markdown escaping for text somebody else wrote. discord.js escapes the paired markers (bold, italic,
 * underline, code, code blocks), headings, lists and backslashes; the rest is what it leaves live. A backslash
 * before any punctuation is shown as that character alone, so over-escaping only costs bytes.
 */
function escapeDiscordUserText(text: string): string {
  return escapeMarkdown(text, { heading: true, bulletedList: true, numberedList: true, spoiler: false, strikethrough: false })
    // Every `|` and `~`, not only pairs: next to Deckhand's own text a single one could still pair up.
    .replace(/[|~]/g, '\\$&')
    // `<@id>`, `<@&id>`, `<#id>`, `</cmd:id>`, `<t:…>`, `<:emoji:id>` and `<https://…>` all need their `<`.
    .replace(/</g, '\\<')
    // A masked link (`[https://discord.com/approve](https://evil)`) cannot start at an escaped bracket.
    .replace(/[[\]]/g, '\\$&')
    // Block quotes (`> `, `>>> `) and subtext (`-# `), at the start of any line.
    .replace(/^([ \t]*)(>|-#)/gm, '$1\\$2')
    .replace(/@(everyone|here)/gi, `@${ZERO_WIDTH_SPACE}$1`);
}

const DISCORD: ChatStyle = {
  // Deckhand's markup writes bold as Slack does (`*x*`); Discord's bold is `**x**` (one `*` is italic there).
  markup: (text, inCode) => (inCode ? text : text.replace(/\*+/g, '**')),
  // Inside a code span Discord shows everything literally, backslashes included: only a backtick could break out.
  user: (text, inCode) => (inCode ? text.replace(/`/g, INERT_BACKTICK) : escapeDiscordUserText(text)),
  fence: (backticks) => backticks,
};

/**
 * Chat text as Discord markdown, at most `max` characters: the one place Discord escaping happens. User text
 * cannot format, link, quote or mention (messages also carry `allowed_mentions: {parse: []}`, so nothing pings
 * even if a mention got through); bidi and control characters are removed; a cut never splits a character.
 */
export function renderDiscordText(text: ChatText | string, max = DISCORD_CONTENT_MAX): string {
  return renderChat(text, DISCORD, max);
}

/** Text Discord shows without markdown (embed footers, button labels): only cleaned and cut. */
export function renderDiscordPlainText(text: string, max: number): string {
  return truncateText(cleanUserText(text), max);
}
