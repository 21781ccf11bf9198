import { z } from 'zod';
import { Actor } from '../deploy/index.ts';

/** Who did it: the platform account (id decides, name is shown). Entries written before ids were kept hold a name. */
const Who = z.union([Actor, z.string()]);

/** Every entry of the audit log. Append-only; `deployId` ties entries of one deploy together. */
export const AuditEvent = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('command'), at: z.string(), actor: Actor, channel: z.string(), text: z.string(), outcome: z.string(), deployId: z.string().optional() }).strict(),
  z.object({ kind: z.literal('decision'), at: z.string(), deployId: z.string().optional(), input: z.unknown(), result: z.unknown() }).strict(),
  z.object({ kind: z.literal('approval'), at: z.string(), deployId: z.string(), actor: Actor, vote: z.enum(['approve', 'deny', 'withdraw']), accepted: z.boolean(), note: z.string().optional() }).strict(),
  z.object({ kind: z.literal('action'), at: z.string(), deployId: z.string(), target: z.string(), what: z.string(), before: z.unknown().optional(), after: z.unknown().optional() }).strict(),
  z.object({ kind: z.literal('phase'), at: z.string(), deployId: z.string(), phase: z.string(), message: z.string() }).strict(),
  z.object({ kind: z.literal('freeze'), at: z.string(), env: z.string(), actor: Who, what: z.enum(['frozen', 'unfrozen']), until: z.string().optional(), reason: z.string().optional() }).strict(),
  z.object({ kind: z.literal('lock'), at: z.string(), service: z.string(), env: z.string(), actor: Who, what: z.enum(['locked', 'unlocked', 'reclaimed']), note: z.string().optional() }).strict(),
]);
export type AuditEvent = z.infer<typeof AuditEvent>;
