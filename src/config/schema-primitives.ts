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
