import type { ChatText } from '../../deploy/index.ts';
import { cleanUserText, renderChat, replaceMarkers, truncateText, type ChatStyle } from '../safe-text.ts';

/**
 * Slack recommends keeping a message's `text` under 4,000 characters (it cuts at 40,000, mid-escape); a
 * response_url reply or thread note of ours is never meant to be longer.
 */
export const SLACK_TEXT_MAX = 4000;

/**
 * Sent with every message: nothing in the text is turned into a mention or a channel link by Slack itself
 * (`@channel`, `#general` as plain words stay words). With the escaping below, `<!here>` cannot form either.
 */
export const SLACK_NO_PARSE = { parse: 'none', link_names: false } as const;
/** Sent with every new message: no previews of links somebody typed. */
export const SLACK_NO_UNFURL = { unfurl_links: false, unfurl_media: false } as const;

/** The three characters mrkdwn gives a meaning to outside formatting: `<…>` is a link or mention, `&` an entity. */
function escapeEntities(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * What mrkdwn formats outside code: `*bold*`, `_italic_`, `~strike~`, `` `code` `` and ```` ``` ```` blocks. Slack has
 * no backslash escape, and a zero-width space next to a marker is what people type to make formatting work inside a
 * word, so it cannot be trusted to stop it. A look-alike cannot be read as a marker at all, keeps the text readable
 * and is one UTF-16 unit like the character it stands for, so limits and cuts count the same.
 */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  '*': '\u2217', // ∗ ASTERISK OPERATOR
  _: '\u02CD', // ˍ MODIFIER LETTER LOW MACRON
  '~': '\u223C', // ∼ TILDE OPERATOR
  '`': '\u02CB', // ˋ MODIFIER LETTER GRAVE ACCENT
};
/**
 * A `>` that starts a line quotes it. Slack hands us the quotes people type as `&gt;` at the start of a line, so the
 * escape alone is not trusted to stop one: ˃ MODIFIER LETTER RIGHT ARROWHEAD.
 */
const INERT_QUOTE = '\u02C3';

/**
 * User text outside code as text that takes no formatting: markers become look-alikes, except inside a web address,
 * where they are percent-encoded so the address still leads where it did; a `>` at the start of a line (the start
 * of the text counts: Deckhand may have put it on a line of its own) cannot quote. `&`, `<` and `>` are escaped last.
 */
function escapeSlackUserText(text: string): string {
  const inert = replaceMarkers(text, /[*_~`]/g, (c) => LOOK_ALIKES[c]!);
  return escapeEntities(inert.replace(/^([ \t]*)>/gm, `$1${INERT_QUOTE}`));
}

/**
 * User text inside a code span: nothing is formatted there, but a backtick would end the span, and a newline could
 * too — mrkdwn's inline code is not documented to reach past a line break — leaving the rest outside it.
 */
function escapeSlackCodeText(text: string): string {
  return escapeEntities(text.replace(/`/g, LOOK_ALIKES['`']!).replace(/\n/g, ' '));
}

const SLACK: ChatStyle = {
  // Deckhand's markup is bold and code only, so a `<` or `&` in it is a literal character and is escaped too;
  // `**` (Discord's bold) is Slack's `*`.
  markup: (text, inCode) => escapeEntities(inCode ? text : text.replace(/\*+/g, '*')),
  user: (text, inCode) => (inCode ? escapeSlackCodeText(text) : escapeSlackUserText(text)),
  fence: (backticks) => backticks,
};

/**
 * Chat text as Slack mrkdwn, at most `max` characters: the one place Slack escaping happens. Every piece of user
 * text has `&`, `<` and `>` escaped, so `<!channel>`, `<!subteam^…>`, `<@U…>` and `<https://evil|label>` show as
 * typed and never resolve; outside code it takes no formatting either (`*Approved*` stays a word with asterisks
 * round it, never Deckhand's bold); bidi and control characters are removed; a cut never splits a character or
 * an escape. `:shortcode:` emoji are left to render: anyone can type the emoji themselves.
 */
export function renderSlackText(text: ChatText | string, max = SLACK_TEXT_MAX): string {
  return renderChat(text, SLACK, max);
}

/**
 * A link in mrkdwn, `<url|label>`: in the URL every character outside RFC 3986's set (so `|`, `<`, `>`, spaces,
 * quotes, backticks) is percent-encoded and `&` is escaped as Slack asks — Slack does not format inside a link's
 * URL, so nothing else needs it; the label is user text (`|` in it becomes `¦`), formatted no more than any other.
 * An http(s) URL only, else the label alone.
 */
export function renderSlackLink(label: string, url: string): string {
  const text = escapeSlackUserText(cleanUserText(label).replace(/[|]/g, '¦'));
  if (!/^https?:\/\//i.test(url)) return text;
  const href = url.toWellFormed().replace(/[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/gu, (c) => encodeURIComponent(c)).replace(/&/g, '&amp;');
  return `<${href}|${text}>`;
}

/** Text for a `plain_text` object (button labels, confirm dialogs): Slack shows it as is, so only clean and cut. */
export function renderSlackPlainText(text: string, max: number): string {
  return truncateText(cleanUserText(text), max);
}
