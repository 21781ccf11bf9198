import { z } from 'zod';

/** Who holds a service+environment: a deploy in flight, or a person who locked it by hand. */
export const LockHolder = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('deploy'), deployId: z.string(), by: z.string(), at: z.string() }).strict(),
  z.object({ kind: z.literal('manual'), by: z.string(), reason: z.string().optional(), at: z.string() }).strict(),
]);
export type LockHolder = z.infer<typeof LockHolder>;

/** A one-off deploy freeze of one environment (`/freeze`); no `until` means until `/unfreeze`. */
export const Freeze = z.object({
  env: z.string(),
  from: z.string(),
  until: z.string().optional(),
  reason: z.string().optional(),
  by: z.string(),
}).strict();
export type Freeze = z.infer<typeof Freeze>;
