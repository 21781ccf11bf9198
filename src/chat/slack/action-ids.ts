import type { CardActionId } from '../types.ts';

/**
 * Button `action_id`s on Slack cards: `deckhand_<action>`. The prefix keeps them apart from any other app's
 * buttons in the same workspace and lets one listener catch them all.
 */
const PREFIX = 'deckhand_';
const ACTIONS: readonly CardActionId[] = ['approve', 'deny', 'rollback', 'promote', 'pause', 'resume', 'abort'];

export const ACTION_ID_PATTERN = /^deckhand_[a-z]+$/;

export function actionIdFor(action: CardActionId): string {
  return `${PREFIX}${action}`;
}

/** The card action a Slack `action_id` stands for, or undefined for anything we did not render. */
export function cardActionOf(actionId: string): CardActionId | undefined {
  if (!actionId.startsWith(PREFIX)) return undefined;
  const rest = actionId.slice(PREFIX.length);
  return ACTIONS.find((a) => a === rest);
}
