import { markerTags, type Marker } from './marker-of.ts';
import { failedRequest, resultOf, type SendResult } from './send-result.ts';

export interface GrafanaOptions {
  /** The Grafana root, e.g. `https://grafana.example.com` (a sub-path such as `/grafana` is kept). */
  url: string;
  /** A service account token with `annotations:write`; sent as a Bearer token, never logged. */
  token: string;
  timeoutMs?: number;
}

/** Grafana renders annotation text as (sanitised) HTML: names and versions typed in chat are shown as text. */
function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The body of `POST /api/annotations` (Grafana's HTTP API): an organisation annotation (no `dashboardUID`), so any
 * dashboard shows it through an annotation query on its tags. A marker that ends a deploy is a region from the
 * deploy's start (`time`) to its end (`timeEnd`); the others are points.
 */
export function annotationOf(m: Marker): { time: number; timeEnd?: number; tags: string[]; text: string } {
  return {
    time: m.from ?? m.at,
    ...(m.from !== undefined && { timeEnd: m.at }),
    tags: markerTags(m),
    text: escapeHtml(m.text),
  };
}

/** Posts deploy markers as Grafana annotations. */
export function createGrafanaAnnotations(o: GrafanaOptions): (m: Marker) => Promise<SendResult> {
  const endpoint = new URL('api/annotations', o.url.endsWith('/') ? o.url : `${o.url}/`);
  return async (m) => {
    try {
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: { authorization: `Bearer ${o.token}`, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(annotationOf(m)),
        signal: AbortSignal.timeout(o.timeoutMs ?? 5_000),
      });
      return await resultOf(res, 'Grafana');
    } catch (err) {
      return failedRequest(err, 'Grafana');
    }
  };
}
