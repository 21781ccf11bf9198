import type { types as SlackTypes } from '@slack/bolt';
import { chat, joinChat, type ChatText } from '../../deploy/index.ts';
import { progressBar } from '../console/index.ts';
import type { Card } from '../types.ts';
import { actionIdFor } from './action-ids.ts';
import { renderSlackLink, renderSlackPlainText, renderSlackText } from './render-slack-text.ts';

export interface SlackCardMessage {
  /** The notification and screen-reader text: must say what happened without the blocks. */
  text: string;
  blocks: SlackTypes.KnownBlock[];
}

// Slack's documented limits; past them chat.postMessage fails with invalid_blocks, so we cut instead. They count
// the text as sent, escapes included, which is what renderSlackText measures.
const SECTION_TEXT_MAX = 3000;
const FIELD_TEXT_MAX = 2000;
const MAX_FIELDS = 10;
const BUTTON_TEXT_MAX = 75;
const CONFIRM_TITLE_MAX = 100;
const CONFIRM_TEXT_MAX = 300;
const CONFIRM_BUTTON_MAX = 30;

/**
 * `verbatim`: without it Slack pre-processes a block's mrkdwn itself — links plain URLs and channel names and parses
 * "certain mentions" — which the message-level `parse: none` does not reach. Everything a card links or mentions is
 * written out by the renderer, so nothing is left for Slack to guess.
 */
function mrkdwn(text: ChatText, max = SECTION_TEXT_MAX): SlackTypes.MrkdwnElement {
  return { type: 'mrkdwn', text: renderSlackText(text, max), verbatim: true };
}

function plain(text: string, max: number): SlackTypes.PlainTextElement {
  return { type: 'plain_text', text: renderSlackPlainText(text, max) };
}

/** The one-line summary used as the message's `text`, e.g. `#3 api v1.5.0 (rolling) → production: 🚀 Rolling out 2/3`. */
export function cardFallbackText(card: Card): string {
  const progress = card.progress ? chat` ${card.progress.done}/${card.progress.total}` : '';
  return renderSlackText(chat`${card.title}: ${card.status}${progress}`, SECTION_TEXT_MAX);
}

/**
 * The deploy card in Block Kit, laid out for a phone: the title and status first (what a glance needs), the progress
 * bar on its own line, the facts as two-column fields, the latest lines, the service's links, then the buttons.
 * Pure; at most six blocks, each within Slack's limits however long the reason, note or release notes.
 */
export function renderCardBlocks(card: Card): SlackCardMessage {
  const blocks: SlackTypes.KnownBlock[] = [
    { type: 'section', block_id: 'status', text: mrkdwn(chat`*${card.title}*\n${card.status}`) },
  ];
  if (card.progress) {
    const p = card.progress;
    // A code span keeps the bar's characters at one width on every client.
    blocks.push({ type: 'section', block_id: 'progress', text: mrkdwn(chat`\`${progressBar(p.done, p.total)}\`  ${p.label}`) });
  }
  if (card.fields.length) {
    blocks.push({
      type: 'section', block_id: 'fields',
      fields: card.fields.slice(0, MAX_FIELDS).map((f) => mrkdwn(chat`*${f.label}*\n${f.value}`, FIELD_TEXT_MAX)),
    });
  }
  // Slack refuses an empty text object.
  const lines = card.lines.filter((l) => !l.isEmpty);
  if (lines.length) {
    blocks.push({ type: 'context', block_id: 'lines', elements: [mrkdwn(joinChat(lines, '\n'))] });
  }
  if (card.links?.length) {
    // Links are Deckhand's own markup around escaped parts (renderSlackLink), so they are joined as rendered text;
    // a context element holds 3,000 characters, so links that would not fit are left out whole, never cut.
    let text = '';
    for (const l of card.links) {
      const link = renderSlackLink(l.label, l.url);
      const next = text ? `${text}  ·  ${link}` : `🔗 ${link}`;
      if (next.length > SECTION_TEXT_MAX) break;
      text = next;
    }
    if (text) blocks.push({ type: 'context', block_id: 'links', elements: [{ type: 'mrkdwn', text, verbatim: true }] });
  }
  if (card.actions.length) {
    blocks.push({
      type: 'actions', block_id: 'actions',
      elements: card.actions.map((a) => {
        const button: SlackTypes.Button = {
          type: 'button',
          action_id: actionIdFor(a.id),
          text: { ...plain(a.label, BUTTON_TEXT_MAX), emoji: true },
          // The deploy id rides on the button, so a click needs no lookup of which card it was.
          value: card.deployId,
        };
        if (a.style) button.style = a.style;
        if (a.confirm) {
          button.confirm = {
            title: plain(`${a.label}?`, CONFIRM_TITLE_MAX),
            text: plain(a.confirm, CONFIRM_TEXT_MAX),
            confirm: plain(`Yes, ${a.label.toLowerCase()}`, CONFIRM_BUTTON_MAX),
            deny: plain('Cancel', CONFIRM_BUTTON_MAX),
            ...(a.style === 'danger' && { style: 'danger' as const }),
          };
        }
        return button;
      }),
    });
  }
  return { text: cardFallbackText(card), blocks };
}
