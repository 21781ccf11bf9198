/**
 * Link templates: a service's dashboards, log queries, traces and error tracker, written once in deckhand.yaml
 * (`https://grafana/d/abc?var-service={service}&from={from}&to={to}`) and filled per deploy for its card. Shared by
 * the config (which checks a template names only these placeholders and fills to an http(s) URL) and the card.
 */
export const LINK_PLACEHOLDERS = ['service', 'env', 'version', 'deployId', 'from', 'to'] as const;
export type LinkPlaceholder = (typeof LINK_PLACEHOLDERS)[number];
export type LinkValues = Record<LinkPlaceholder, string>;

const PLACEHOLDER = /\{([A-Za-z]+)\}/g;

/** The `{names}` in a template that are not placeholders (a typo like `{servce}` would otherwise stay in the URL). */
export function unknownPlaceholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((name) => !(LINK_PLACEHOLDERS as readonly string[]).includes(name));
}

/**
 * The template with each placeholder replaced by its value, percent-encoded (a version such as `v1.5.0+build/7`
 * or a service name cannot add a query parameter, a path segment or a fragment). Undefined unless the result is an
 * http(s) URL, so nothing else can reach a card.
 */
export function fillLinkTemplate(template: string, values: LinkValues): string | undefined {
  const filled = template.replace(PLACEHOLDER, (whole, name: string) =>
    ((LINK_PLACEHOLDERS as readonly string[]).includes(name) ? encodeURIComponent(values[name as LinkPlaceholder]) : whole));
  try {
    const url = new URL(filled);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** A filled link, as a card shows it: `label` is the template's key in deckhand.yaml, `url` an http(s) URL. */
export interface DeployLink {
  label: string;
  url: string;
}
