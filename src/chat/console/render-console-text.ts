import type { ChatText } from '../../deploy/index.ts';
import { renderChat, type ChatStyle } from '../safe-text.ts';

const CONSOLE: ChatStyle = {
  // A terminal has no bold: the asterisks would only be noise (`*api*`). Inside code they are literal.
  markup: (text, inCode) => (inCode ? text : text.replace(/\*/g, '')),
  // Already cleaned: no escape sequences, control or bidi characters left to act on the terminal.
  user: (text) => text,
  fence: () => '',
};

/**
 * Chat text for a terminal: the one place console output is made safe. Deckhand's markup loses its `*` and
 * backticks; user text is printed as typed, minus control characters (a reason cannot clear the screen or
 * rewrite the line) and bidi controls.
 */
export function renderConsoleText(text: ChatText | string): string {
  return renderChat(text, CONSOLE);
}
