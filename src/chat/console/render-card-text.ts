import { chat, joinChat } from '../../deploy/index.ts';
import type { Card } from '../types.ts';
import { renderConsoleText } from './render-console-text.ts';

/** The card's headline: status, and the progress bar while rolling. */
export function renderCardHead(card: Card): string {
  const bar = card.progress ? chat`  ${progressBar(card.progress.done, card.progress.total)}  ${card.progress.label}` : '';
  return renderConsoleText(chat`[${card.title}] ${card.status}${bar}`);
}

/** The card's detail lines, indented under the headline (multi-line details stay indented). */
export function renderCardBody(card: Card): string[] {
  const body = card.lines.flatMap((l) => renderConsoleText(l).split('\n')).map((l) => `    ${l}`);
  const links = card.links?.length ? [`    links: ${renderConsoleText(joinChat(card.links.map((l) => chat`${l.label} ${l.url}`), ' · '))}`] : [];
  const buttons = card.actions.length ? [`    buttons: ${renderConsoleText(joinChat(card.actions.map((a) => a.label), ' · '))}`] : [];
  return [...body, ...links, ...buttons];
}

/** Plain-text card: the headline, then the details. */
export function renderCardText(card: Card): string {
  return [renderCardHead(card), ...renderCardBody(card)].join('\n');
}

/** A text progress bar, e.g. `▓▓▓▓▓░░░░░ 2/4`. */
export function progressBar(done: number, total: number, width = 10): string {
  const filled = total > 0 ? Math.round((Math.min(done, total) / total) * width) : 0;
  return `${'▓'.repeat(filled)}${'░'.repeat(width - filled)} ${done}/${total}`;
}
