import type { ChatText } from '../../deploy/index.ts';
import { cleanUserText, renderChat, replaceMarkers, truncateText, type ChatStyle } from '../safe-text.ts';

/** Discord's limit on a message's `content`. */
export const DISCORD_CONTENT_MAX = 2000;

/** Keeps `@everyone` and `@here` readable but no longer the words Discord highlights (and, allowed, would ping). */
const ZERO_WIDTH_SPACE = '\u200B';
/** A look-alike for a backtick typed inside a code span, which would otherwise end the span. */
const INERT_BACKTICK = 'ˋ';

/**
 * Discord markdown escaping for text somebody else wrote. A backslash before any punctuation shows that character
 * alone, so every character markdown could act on is escaped wherever it is, not only where it would pair up: next
 * to Deckhand's own text a single one could still pair. discord.js's escapeMarkdown is not used: it leaves `_`
 * live after a `<:` anywhere earlier on the line, a fourth backtick in a run, and `+` lists.
 */
function escapeDiscordUserText(text: string): string {
  // `\` first among them, so user text cannot un-escape what follows. `*` `_` `~` `|` `` ` ``: bold, italic,
  // underline, strike, spoilers, code. `<`: `<@id>`, `<@&id>`, `<#id>`, `</cmd:id>`, `<t:…>`, `<:emoji:id>`,
  // `<https://…>`. `[` `]`: a masked link (`[https://discord.com/approve](https://evil)`) cannot start at an escaped
  // bracket. `@everyone`/`@here`: see ZERO_WIDTH_SPACE. Inside a web address, where a backslash would become part
  // of it, the markers it can hold (`*` `_` `~`, the `@` of `@everyone`) are percent-encoded instead.
  return replaceMarkers(text, /[\\*_~|`<[\]]|@(?=everyone|here)/gi, (c) => (c === '@' ? `@${ZERO_WIDTH_SPACE}` : `\\${c}`))
    // Headings (`#`), subtext (`-#`), block quotes (`>`, `>>>`) and lists (`-`, `+`, `1.`), at the start of any
    // line — the start of the text counts, as Deckhand may have put it on a line of its own.
    .replace(/^([ \t]*)([#>+-])/gm, '$1\\$2')
    .replace(/^([ \t]*\d+)([.)])/gm, '$1\\$2');
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
