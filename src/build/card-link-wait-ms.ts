import { isEndPhase, type Deploy } from '../deploy/index.ts';

/**
 * How long the final GitHub deployment status waits for the deploy card's link. Slack and Discord cards have one
 * (known right after the post); a deploy that ends before its card is out — fast, or the chat rate-limiting — would
 * otherwise report its outcome without the link. Console cards have none to wait for.
 */
export function cardLinkWaitMs(d: Deploy): number {
  return d.requestedBy.platform !== 'console' && isEndPhase(d.phase) ? 5_000 : 0;
}
