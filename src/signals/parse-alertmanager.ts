import { AlertmanagerPayload } from './schema.ts';
import type { Signal } from './signal.ts';

export type Parsed = { ok: true; signals: Signal[] } | { ok: false; problem: string };

/**
 * An Alertmanager webhook body (payload version 4) → one signal per alert. Each alert carries its own status: a
 * group notification that is `firing` may list alerts that have resolved since, and those change nothing.
 */
export function parseAlertmanager(body: string): Parsed {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, problem: 'the body is not JSON' };
  }
  const parsed = AlertmanagerPayload.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, problem: `not an Alertmanager v4 payload (${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'})` };
  }
  const p = parsed.data;
  return {
    ok: true,
    signals: p.alerts.map((a) => {
      const annotations = { ...p.commonAnnotations, ...a.annotations };
      const summary = annotations.summary ?? annotations.description ?? annotations.message;
      const url = nonEmpty(a.generatorURL) ?? nonEmpty(p.externalURL);
      return {
        source: 'alertmanager', status: a.status, name: a.labels.alertname ?? p.commonLabels.alertname ?? 'alert',
        labels: { ...p.commonLabels, ...a.labels },
        ...(summary !== undefined && { summary }),
        ...(url !== undefined && { url }),
        ...(a.startsAt !== undefined && { startsAt: a.startsAt }),
      } satisfies Signal;
    }),
  };
}

function nonEmpty(s: string | undefined): string | undefined {
  return s && s.length > 0 ? s : undefined;
}
