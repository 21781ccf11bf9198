import { fillLinkTemplate, type Deploy, type DeployLink } from '../deploy/index.ts';
import { versionOf } from './marker-of.ts';

/**
 * A deploy's links from its service's templates, with its time range: `{from}` is when it was requested, `{to}` when
 * it ended, or `now` while it runs (each card update moves it on). Templates were checked by the config; one that
 * still does not fill to an http(s) URL is left out rather than shown broken.
 */
export function deployLinks(templates: Readonly<Record<string, string>> | undefined, d: Deploy, now: number): DeployLink[] {
  if (!templates) return [];
  const from = new Date(d.createdAt).getTime();
  const to = d.finishedAt ? new Date(d.finishedAt).getTime() : Math.max(now, from);
  const values = { service: d.service, env: d.env, version: versionOf(d), deployId: d.id, from: String(from), to: String(to) };
  return Object.entries(templates).flatMap(([label, template]) => {
    const url = fillLinkTemplate(template, values);
    return url ? [{ label, url }] : [];
  });
}
