/**
 * Slack escapes exactly three characters in text it sends us (`&`, `<`, `>`), so the parser sees what the person
 * typed. `&amp;` goes last so `&amp;lt;` (a typed `&lt;`) stays `&lt;`.
 * The way back, for everything Deckhand sends, is renderSlackText.
 */
export function decodeSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

