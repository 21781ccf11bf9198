import { z } from 'zod';
import { fillLinkTemplate, LINK_PLACEHOLDERS, unknownPlaceholders } from '../deploy/index.ts';

/** What a template is filled with to check it: any value fills to a URL exactly when these do. */
const SAMPLE = { service: 'api', env: 'staging', version: 'v1.0.0', deployId: '1', from: '1700000000000', to: '1700000060000' };

const known = LINK_PLACEHOLDERS.map((p) => `{${p}}`).join(' ');

/** One link template: an http(s) URL once its placeholders are filled. */
const LinkTemplate = z.string({ error: `must be a URL template in quotes, like 'https://grafana.example.com/d/abc?var-service={service}&from={from}&to={to}'` })
  .superRefine((template, ctx) => {
    const unknown = unknownPlaceholders(template);
    if (unknown.length > 0) {
      ctx.addIssue({ code: 'custom', message: `has an unknown placeholder ${unknown.map((u) => `{${u}}`).join(', ')} (known: ${known})` });
      return;
    }
    if (fillLinkTemplate(template, SAMPLE) === undefined) {
      ctx.addIssue({ code: 'custom', message: `must be an http:// or https:// URL (placeholders: ${known})` });
    }
  });

/**
 * `links: { grafana: '…', logs: '…', traces: '…', sentry: '…' }`: shown on the service's deploy cards, named by
 * their key, with the deploy's time range filled in (`{from}`, `{to}`: ms since the epoch; `{to}` is now while it
 * runs).
 */
export const LinkTemplates = z.record(
  z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'must be a short lowercase name like `grafana` or `logs`'),
  LinkTemplate,
).refine((links) => Object.keys(links).length <= 8, 'at most 8 links per service (a card has room for a row of them)');
export type LinkTemplates = z.infer<typeof LinkTemplates>;
