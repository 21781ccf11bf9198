import type { Card } from '../types.ts';

/** Plain-text card: a headline with the status (and progress bar while rolling), then the details. */
export function renderCardText(card: Card): string {
  const bar = card.progress ? `  ${progressBar(card.progress.done, card.progress.total)}  ${card.progress.label}` : '';
  const head = `[${card.title}] ${card.status}${bar}`;
  const body = card.lines.map((l) => `    ${l}`);
  const buttons = card.actions.length ? [`    buttons: ${card.actions.map((a) => a.label).join(' · ')}`] : [];
  return [head, ...body, ...buttons].join('\n');
}

/** A text progress bar, e.g. `▓▓▓▓▓░░░░░ 2/4`. */
export function progressBar(done: number, total: number, width = 10): string {
  const filled = total > 0 ? Math.round((Math.min(done, total) / total) * width) : 0;
  return `${'▓'.repeat(filled)}${'░'.repeat(width - filled)} ${done}/${total}`;
}
