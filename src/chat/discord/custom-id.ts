import type { CardActionId } from '../types.ts';

const ACTIONS: readonly CardActionId[] = ['approve', 'deny', 'rollback', 'promote', 'pause', 'resume', 'abort'];

/**
 * What a Deckhand button's `custom_id` says. Buttons that need an "are you sure?" carry `ask`; the confirming
 * button of that question carries `sure`; `cancel` dismisses the question.
 */
export type ButtonIntent =
  | { kind: 'act'; action: CardActionId; deployId: string }
  | { kind: 'ask'; action: CardActionId; deployId: string }
  | { kind: 'sure'; action: CardActionId; deployId: string }
  | { kind: 'cancel'; deployId: string };

/** `deckhand:approve:12`, `deckhand:abort:12:ask`, `deckhand:abort:12:sure`, `deckhand:cancel:12`. */
export function encodeCustomId(intent: ButtonIntent): string {
  switch (intent.kind) {
    case 'act': return `deckhand:${intent.action}:${intent.deployId}`;
    case 'ask': case 'sure': return `deckhand:${intent.action}:${intent.deployId}:${intent.kind}`;
    case 'cancel': return `deckhand:cancel:${intent.deployId}`;
    default: {
      const never: never = intent;
      return never;
    }
  }
}

/** The intent of a `custom_id`, or undefined for one Deckhand did not make (or an older format). */
export function decodeCustomId(customId: string): ButtonIntent | undefined {
  const m = /^deckhand:([a-z]+):([1-9][0-9]*)(?::(ask|sure))?$/.exec(customId);
  if (!m) return undefined;
  const [, verb, deployId, mode] = m as unknown as [string, string, string, 'ask' | 'sure' | undefined];
  if (verb === 'cancel') return mode ? undefined : { kind: 'cancel', deployId };
  const action = ACTIONS.find((a) => a === verb);
  if (!action) return undefined;
  return { kind: mode ?? 'act', action, deployId };
}
