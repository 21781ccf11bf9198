import { z } from 'zod';
import { parseDuration } from './duration.ts';

/** The names and values the config's schemas share (its own file, so each schema file can import it). */

export const NAME = /^[a-z][a-z0-9-]{0,62}$/;
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export const KubeName = z.string({ error: 'must be a string' }).regex(DNS_LABEL, 'must be a Kubernetes name: lowercase letters, digits and dashes');

export const Duration = z.string({ error: 'expected a duration like 30m, 1h or 90s' }).transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected a duration like 30m, 1h or 90s` });
    return z.NEVER;
  }
  return ms;
});

export const ServiceName = z.string().regex(NAME, 'must be lowercase letters, digits and dashes, starting with a letter (like `api`)');
export type ServiceName = z.infer<typeof ServiceName>;

/**
 * A mapping whose keys are names. Keys are checked beside the values (not by zod's record key check, which
 * skips the value of a badly named entry), so a file with a bad name still gets every other problem reported.
 */
export function namedRecord<V extends z.ZodType>(key: z.ZodString, value: V) {
  return z.record(z.string(), value).superRefine((record, ctx) => {
    for (const name of Object.keys(record)) {
      const checked = key.safeParse(name);
      if (!checked.success) {
        ctx.addIssue({ code: 'custom', path: [name], params: { atKey: true, badKey: true }, message: checked.error.issues[0]?.message ?? 'is not a valid name' });
      }
    }
  }, { when: (payload) => payload.value !== null && typeof payload.value === 'object' });
}
