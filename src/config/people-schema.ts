import { z } from 'zod';
import { NAME } from './schema-primitives.ts';

/**
 * Who is who. People are named here once and linked to their immutable platform ids; everything else in the file
 * (groups) names them by that key or by a platform id. Display names and handles never decide who someone is:
 * their owners can change them.
 */

/** Slack user id (`U…`/`W…`), optionally pinned to a workspace or Enterprise org: `T…/U…`, `E…/W…`. */
const SLACK_USER = /^(?:[TE][A-Z0-9]{2,}\/)?[UW][A-Z0-9]{2,}$/;
/** Discord snowflake. */
const SNOWFLAKE = /^\d{15,21}$/;

/** One id or a list of them; neither (a number, a map) is reported with `typeError`, not zod's "Invalid input". */
const oneOrMany = (item: z.ZodString, typeError: string) => z.union([item, z.array(item).min(1)], { error: typeError }).transform((v) => (Array.isArray(v) ? v : [v]));

const SLACK_TYPE = 'must be a Slack user id in quotes, like "U024BE7LH"';
const DISCORD_TYPE = 'must be a Discord user id in quotes, like "80351110224678912" (unquoted, YAML reads it as a number and loses digits)';
export const SlackUserId = z.string({ error: SLACK_TYPE }).regex(SLACK_USER, 'must be a Slack user id like U024BE7LH (or T…/U… to pin the workspace), not a name');
export const DiscordUserId = z.string({ error: DISCORD_TYPE }).regex(SNOWFLAKE, 'must be a numeric Discord user id like "80351110224678912", not a name');

export const Person = z.object({
  slack: oneOrMany(SlackUserId, SLACK_TYPE).optional(),
  discord: oneOrMany(DiscordUserId, DISCORD_TYPE).optional(),
  /** The name this person types as in the local console chat (`@alice …`); the person's key when absent. */
  console: z.string().min(1).optional(),
}).strict();
export type Person = z.infer<typeof Person>;

/**
 * One member of a group: a person's key from `people`, or a platform id — `slack:U…` (or `slack:T…/U…`),
 * `discord:<id>`, a Slack user group `slack-usergroup:S…`, a Discord role `discord-role:<id>`. A bare word that is
 * not in `people` is only the console user of that name (check-config warns).
 */
export const GroupMember = z.string().min(1, 'must not be empty').superRefine((v, ctx) => {
  const colon = v.indexOf(':');
  if (colon < 0) {
    if (!NAME.test(v)) ctx.addIssue({ code: 'custom', message: `\`${v}\` is neither a person's key (lowercase, like \`alice\`) nor a platform id like slack:U024BE7LH or discord:80351110224678912` });
    return;
  }
  const kind = v.slice(0, colon);
  const id = v.slice(colon + 1);
  const ok = kind === 'slack' ? SLACK_USER.test(id)
    : kind === 'discord' || kind === 'discord-role' ? SNOWFLAKE.test(id)
    : kind === 'slack-usergroup' ? /^S[A-Z0-9]{2,}$/.test(id)
    : undefined;
  if (ok === undefined) ctx.addIssue({ code: 'custom', message: `\`${kind}:\` is not a kind of member; use slack:, discord:, slack-usergroup: or discord-role:` });
  else if (!ok) ctx.addIssue({ code: 'custom', message: `\`${id}\` is not a valid ${kind} id` });
});
