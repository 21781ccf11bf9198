/**
 * What a monitoring source said, in Deckhand's terms: one alert firing (or resolved), with the labels that tie it to
 * a service, and the words and link a person needs on the card. Names, summaries and links are the source's text.
 */
export interface Signal {
  source: 'alertmanager' | 'sentry';
  status: 'firing' | 'resolved';
  /** The alert's name (`alertname`), or the Sentry issue / rule title. */
  name: string;
  summary?: string;
  /** Where it comes from: the alert's generatorURL (else Alertmanager's externalURL), the Sentry issue's page. */
  url?: string;
  /** Alertmanager labels; for Sentry: `project` and `release` (and `environment` when tagged). */
  labels: Record<string, string>;
  /** When the alert started firing (RFC 3339), when the source says; for Sentry, when it first saw the issue or event. */
  startsAt?: string;
  /** Sentry only: the release the issue was seen in, which must be the version being rolled out. */
  release?: string;
}
