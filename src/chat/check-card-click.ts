import { chat, type ChatText } from '../deploy/index.ts';
import type { CardRefs, Platform } from './types.ts';

export type CardClickVerdict =
  | { kind: 'ok' }
  /** Refused: `reply` is for the clicker (ephemeral); `cardOf` is the deploy the clicked message is the card of, if any. */
  | { kind: 'refused'; reason: 'not_this_card' | 'store_unavailable'; reply: ChatText; cardOf?: string };

/**
 * Whether a button click may act on `deployId`: only when the clicked message (`ref`, in the platform's CardRefs
 * format, which names the channel too) is the card of that very deploy. A button's value or custom_id names a deploy,
 * but it arrives in a payload the clicker's client built; the message it was clicked on is what the platform itself
 * reports, so the two must agree — a click naming another deploy, or made in another channel, acts on nothing.
 * `ref` is undefined when the payload's own location fields disagree or are missing.
 */
export async function checkCardClick(cardRefs: CardRefs, platform: Platform, ref: string | undefined, deployId: string): Promise<CardClickVerdict> {
  if (ref === undefined) return { kind: 'refused', reason: 'not_this_card', reply: NOT_THIS_CARD };
  let cardOf: string | undefined;
  try {
    cardOf = await cardRefs.deployOf(platform, ref);
  } catch {
    return { kind: 'refused', reason: 'store_unavailable', reply: chat`Deckhand can't reach its store right now to check this button; nothing was done. Try again in a moment.` };
  }
  if (cardOf === deployId) return { kind: 'ok' };
  return { kind: 'refused', reason: 'not_this_card', reply: NOT_THIS_CARD, ...(cardOf !== undefined && { cardOf }) };
}

// The deploy the button named is not echoed: in a forged click it is the forger's text.
const NOT_THIS_CARD = chat`This button does not belong to this card, so nothing was done. Use the buttons on the deploy's own card, or a command such as \`/status\`.`;
