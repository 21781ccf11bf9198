import type { types as SlackTypes } from '@slack/bolt';
import { progressBar } from '../console/index.ts';
import type { Card } from '../types.ts';
import { actionIdFor } from './action-ids.ts';
import { escapeSlackText } from './decode-slack-text.ts';

export interface SlackCardMessage {
  /** The notification and screen-reader text: must say what happened without the blocks. */
  text: string;
  blocks: SlackTypes.KnownBlock[];
}

// Slack's documented limits; past them chat.postMessage fails with invalid_blocks, so we trim instead.
const SECTION_TEXT_MAX = 3000;
const FIELD_TEXT_MAX = 2000;
const MAX_FIELDS = 10;
const BUTTON_TEXT_MAX = 75;
const CONFIRM_TEXT_MAX = 300;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Deckhand's lines use `backticks` for commands, which mrkdwn shows as code; everything else is escaped. */
function mrkdwn(text: string, max = SECTION_TEXT_MAX): SlackTypes.MrkdwnElement {
  return { type: 'mrkdwn', text: clip(escapeSlackText(text), max) };
}

/** The one-line summary used as the message's `text`, e.g. `#3 api v1.5.0 (rolling) → production: 🚀 Rolling out 2/3`. */
export function cardFallbackText(card: Card): string {
  const progress = card.progress ? ` ${card.progress.done}/${card.progress.total}` : '';
  return clip(`${card.title}: ${card.status}${progress}`, SECTION_TEXT_MAX);
}

/**
 * The deploy card in Block Kit, laid out for a phone: the title and status first (what a glance needs), the progress
 * bar on its own line, the facts as two-column fields, the latest lines, then the buttons. Pure.
 */
export function renderCardBlocks(card: Card): SlackCardMessage {
  const blocks: SlackTypes.KnownBlock[] = [
    { type: 'section', block_id: 'status', text: mrkdwn(`*${card.title}*\n${card.status}`) },
  ];
  if (card.progress) {
    const p = card.progress;
    // A code span keeps the bar's characters at one width on every client.
    blocks.push({ type: 'section', block_id: 'progress', text: { type: 'mrkdwn', text: clip(`\`${progressBar(p.done, p.total)}\`  ${escapeSlackText(p.label)}`, SECTION_TEXT_MAX) } });
  }
  if (card.fields.length) {
    blocks.push({
      type: 'section', block_id: 'fields',
      fields: card.fields.slice(0, MAX_FIELDS).map((f) => ({ type: 'mrkdwn' as const, text: clip(`*${escapeSlackText(f.label)}*\n${escapeSlackText(f.value)}`, FIELD_TEXT_MAX) })),
    });
  }
  if (card.lines.length) {
    blocks.push({ type: 'context', block_id: 'lines', elements: [mrkdwn(card.lines.join('\n'))] });
  }
  if (card.actions.length) {
    blocks.push({
      type: 'actions', block_id: 'actions',
      elements: card.actions.map((a) => {
        const button: SlackTypes.Button = {
          type: 'button',
          action_id: actionIdFor(a.id),
          text: { type: 'plain_text', text: clip(a.label, BUTTON_TEXT_MAX), emoji: true },
          // The deploy id rides on the button, so a click needs no lookup of which card it was.
          value: card.deployId,
        };
        if (a.style) button.style = a.style;
        if (a.confirm) {
          button.confirm = {
            title: { type: 'plain_text', text: clip(`${a.label}?`, 100) },
            text: { type: 'plain_text', text: clip(a.confirm, CONFIRM_TEXT_MAX) },
            confirm: { type: 'plain_text', text: clip(`Yes, ${a.label.toLowerCase()}`, 30) },
            deny: { type: 'plain_text', text: 'Cancel' },
            ...(a.style === 'danger' && { style: 'danger' as const }),
          };
        }
        return button;
      }),
    });
  }
  return { text: cardFallbackText(card), blocks };
}
