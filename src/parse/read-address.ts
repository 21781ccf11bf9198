import type { ParseContext } from './types.ts';

/**
 * How a message was addressed to Deckhand:
 * - `slash`: `/deploy …` — the verb itself carries the slash;
 * - `named`: `/deckhand deploy …`, `@deckhand deploy …`, `<@U123> deploy …` — Deckhand was named;
 * - `plain`: `deploy …` where every message is for Deckhand (DMs, console).
 */
export type Address =
  | { kind: 'slash'; rest: string }
  | { kind: 'named'; rest: string }
  | { kind: 'plain'; rest: string }
  | { kind: 'none' };

/** Slack `<@U123>` / `<@U123|name>`, Discord `<@123>` / `<@!123>`. */
const PLATFORM_MENTION = /^<@!?([A-Za-z0-9]+)(?:\|[^>]*)?>/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Drops what people put between a mention and the verb: `@deckhand: deploy`, `@deckhand, deploy`. */
function afterMention(text: string): string {
  return text.replace(/^[\s:,]+/, '').trim();
}

/**
 * Where everything is for Deckhand, a whole command pasted as code (`` `/deploy api v1.5.0` ``, as `/help`
 * shows them) is read without the backticks. In a channel, code is people talking about a command.
 */
function unwrapCode(text: string): string {
  const m = /^(`{1,3})([^`]+)\1$/.exec(text);
  return m ? (m[2] ?? '').trim() : text;
}

export function readAddress(text: string, ctx: ParseContext): Address {
  const trimmed = ctx.addressed ? unwrapCode(text.trim()) : text.trim();
  if (trimmed === '') return { kind: 'none' };

  const mention = PLATFORM_MENTION.exec(trimmed);
  if (mention) {
    return ctx.botUserId !== undefined && mention[1] === ctx.botUserId
      ? { kind: 'named', rest: afterMention(trimmed.slice(mention[0].length)) }
      : { kind: 'none' };
  }

  const named = new RegExp(`^[@/]${escapeRegExp(ctx.botName)}(?=$|[\\s:,])`, 'i').exec(trimmed);
  if (named) return { kind: 'named', rest: afterMention(trimmed.slice(named[0].length)) };

  if (trimmed.startsWith('/')) return { kind: 'slash', rest: trimmed.slice(1) };
  if (ctx.addressed) return { kind: 'plain', rest: trimmed };
  return { kind: 'none' };
}
