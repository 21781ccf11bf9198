import { z } from 'zod';

/*
 * The parts of Slack's payloads Deckhand reads. Lenient (`.loose()`): Slack adds fields freely and we only
 * display or route on these, so an unknown field must never make us drop a user's command. Bolt has already
 * verified the signature before anything here runs.
 */

/** A slash command's form body (application/x-www-form-urlencoded). */
export const SlashCommand = z.object({
  command: z.string().startsWith('/'),
  text: z.string().default(''),
  user_id: z.string().min(1),
  user_name: z.string().optional(),
  channel_id: z.string().min(1),
  trigger_id: z.string().min(1),
  response_url: z.string().optional(),
  team_id: z.string().optional(),
  enterprise_id: z.string().optional(),
}).loose();
export type SlashCommand = z.infer<typeof SlashCommand>;

/** One clicked button of a `block_actions` interaction. */
export const BlockAction = z.object({
  action_id: z.string(),
  value: z.string().optional(),
  action_ts: z.string().optional(),
}).loose();
export type BlockAction = z.infer<typeof BlockAction>;

/** The `block_actions` interaction body around the click (`payload=` JSON in the form body). */
export const BlockActionsBody = z.object({
  type: z.literal('block_actions'),
  trigger_id: z.string().min(1),
  user: z.object({ id: z.string().min(1), username: z.string().optional(), name: z.string().optional(), team_id: z.string().optional() }).loose(),
  team: z.object({ id: z.string().optional(), enterprise_id: z.string().optional() }).loose().nullish(),
  enterprise: z.object({ id: z.string().optional() }).loose().nullish(),
  channel: z.object({ id: z.string().min(1) }).loose().optional(),
  /** The message clicked, as Slack reports it; a click counts only on the card of the deploy its button names. */
  container: z.object({ channel_id: z.string().optional(), message_ts: z.string().optional(), is_ephemeral: z.boolean().optional() }).loose().optional(),
  message: z.object({ ts: z.string() }).loose().optional(),
  response_url: z.string().optional(),
}).loose();
export type BlockActionsBody = z.infer<typeof BlockActionsBody>;

/** `reaction_added` / `reaction_removed` inside an Events API `event_callback`. */
export const ReactionEvent = z.object({
  type: z.enum(['reaction_added', 'reaction_removed']),
  user: z.string().min(1),
  reaction: z.string(),
  item: z.object({ type: z.string(), channel: z.string().optional(), ts: z.string().optional() }).loose(),
  event_ts: z.string().optional(),
}).loose();
export type ReactionEvent = z.infer<typeof ReactionEvent>;

/** `app_mention` inside an Events API `event_callback`. */
export const AppMentionEvent = z.object({
  type: z.literal('app_mention'),
  user: z.string().min(1),
  text: z.string(),
  channel: z.string().min(1),
  ts: z.string(),
  thread_ts: z.string().optional(),
}).loose();
export type AppMentionEvent = z.infer<typeof AppMentionEvent>;

/** The `event_callback` envelope: `event_id` is the same on every retry of one event. */
export const EventEnvelope = z.object({
  event_id: z.string().min(1),
  team_id: z.string().optional(),
  enterprise_id: z.string().nullish(),
}).loose();
export type EventEnvelope = z.infer<typeof EventEnvelope>;

/** What `users.info` tells us about a person (only what we display). */
export const SlackUser = z.object({
  id: z.string(),
  name: z.string().optional(),
  real_name: z.string().optional(),
  profile: z.object({ display_name: z.string().optional(), real_name: z.string().optional() }).loose().optional(),
}).loose();
export type SlackUser = z.infer<typeof SlackUser>;

/** One entry of `usergroups.list` with `include_users=true`. */
export const SlackUserGroup = z.object({
  id: z.string(),
  handle: z.string(),
  users: z.array(z.string()).optional(),
  date_delete: z.number().optional(),
}).loose();
export type SlackUserGroup = z.infer<typeof SlackUserGroup>;
