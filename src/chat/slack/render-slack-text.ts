import type { ChatText } from '../../deploy/index.ts';
import { cleanUserText, renderChat, truncateText, type ChatStyle } from '../safe-text.ts';

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

/** A look-alike for a backtick typed inside a code span, which would otherwise end the span. */
const INERT_BACKTICK = 'ˋ';

const SLACK: ChatStyle = {
  // Deckhand's markup is bold and code only, so a `<` or `&` in it is a literal character and is escaped too;
  // `**` (Discord's bold) is Slack's `*`.
  markup: (text, inCode) => escapeEntities(inCode ? text : text.replace(/\*+/g, '*')),
  user: (text, inCode) => escapeEntities(inCode ? text.replace(/`/g, INERT_BACKTICK) : text),
  fence: (backticks) => backticks,
};

/**
 * Chat text as Slack mrkdwn, at most `max` characters: the one place Slack escaping happens. Every piece of user
 * text has `&`, `<` and `>` escaped, so `<!channel>`, `<!subteam^…>`, `<@U…>` and `<https://evil|label>` show as
 * typed and never resolve; bidi and control characters are removed; a cut never splits a character or an escape.
 */
export function renderSlackText(text: ChatText | string, max = SLACK_TEXT_MAX): string {
  return renderChat(text, SLACK, max);
}

/**
 * A link in mrkdwn, `<url|label>`: in the URL every character outside RFC 3986's set (so `|`, `<`, `>`, spaces,
 * quotes, backticks) is percent-encoded and `&` is escaped as Slack asks — Slack does not format inside a link's
 * URL, so nothing else needs it; the label is user text (`|` in it becomes `¦`). An http(s) URL only, else the
 * label alone.
 */
export function renderSlackLink(label: string, url: string): string {
  const text = escapeEntities(cleanUserText(label).replace(/[|]/g, '¦'));
  if (!/^https?:\/\//i.test(url)) return text;
  const href = url.toWellFormed().replace(/[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/gu, (c) => encodeURIComponent(c)).replace(/&/g, '&amp;');
  return `<${href}|${text}>`;
}

/** Text for a `plain_text` object (button labels, confirm dialogs): Slack shows it as is, so only clean and cut. */
export function renderSlackPlainText(text: string, max: number): string {
  return truncateText(cleanUserText(text), max);
}
