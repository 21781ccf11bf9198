/**
 * Slack escapes exactly three characters in text it sends us (`&`, `<`, `>`), so the parser sees what the person
 * typed. `&amp;` goes last so `&amp;lt;` (a typed `&lt;`) stays `&lt;`.
 */
export function decodeSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The reverse, for our own text inside mrkdwn: without it a `<` in a reason could form a link or a mention. */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
