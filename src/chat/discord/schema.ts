import { z } from 'zod';

/**
 * The parts of Discord's interaction payloads Deckhand acts on. Loose objects: Discord adds fields freely, and the
 * payload is already authenticated by its signature; what we read is checked, the rest passes through.
 */
export const DiscordUser = z.looseObject({
  id: z.string().regex(/^\d+$/),
  username: z.string().min(1),
  global_name: z.string().nullish(),
});
export type DiscordUser = z.infer<typeof DiscordUser>;

/** A command option; subcommands (types 1 and 2) nest further options, values are strings, numbers or booleans. */
export type CommandOption = { name: string; type: number; value?: string | number | boolean; options?: CommandOption[] };
export const CommandOption: z.ZodType<CommandOption> = z.lazy(() => z.looseObject({
  name: z.string(),
  type: z.number().int(),
  value: z.union([z.string(), z.number(), z.boolean()]).optional(),
  options: z.array(CommandOption).optional(),
}));

const Common = {
  id: z.string().min(1),
  application_id: z.string(),
  token: z.string().min(1),
  channel_id: z.string().optional(),
  channel: z.looseObject({ id: z.string() }).optional(),
  guild_id: z.string().optional(),
  /** In a guild: the member, with the ids of their roles in that guild. */
  member: z.looseObject({ user: DiscordUser, roles: z.array(z.string()).optional() }).optional(),
  user: DiscordUser.optional(),
};

/** The interaction kinds Deckhand answers, discriminated on Discord's own `type` number. */
export const Interaction = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal(1), id: z.string(), application_id: z.string() }),
  z.looseObject({
    type: z.literal(2), ...Common,
    data: z.looseObject({ name: z.string().min(1), options: z.array(CommandOption).optional() }),
  }),
  z.looseObject({
    type: z.literal(3), ...Common,
    data: z.looseObject({ custom_id: z.string(), component_type: z.number().int().optional() }),
    /**
     * The message clicked. A click counts only on the card of the deploy its custom_id names; on the ephemeral
     * "are you sure?" Deckhand answered a card's button with, `interaction_metadata.interacted_message_id` is that card.
     */
    message: z.looseObject({
      id: z.string(),
      channel_id: z.string().optional(),
      interaction_metadata: z.looseObject({ interacted_message_id: z.string().optional() }).nullish(),
    }).optional(),
  }),
]);
export type Interaction = z.infer<typeof Interaction>;
