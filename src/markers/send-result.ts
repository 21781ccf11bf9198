/**
 * How one delivery to Grafana or PagerDuty went. A value, not a throw: a marker that cannot be delivered is logged
 * and dropped, never a fault of the deploy. `retryable` says whether trying again can help (a timeout, a 5xx, 429),
 * as opposed to a refusal (a bad token, a malformed request).
 */
export type SendResult = { ok: true } | { ok: false; retryable: boolean; status?: number; reason: string };

/** The outcome of an HTTP answer: 2xx is delivered; 408, 429 and 5xx may pass on a later try. */
export async function resultOf(res: Response, what: string): Promise<SendResult> {
  if (res.ok) {
    await res.body?.cancel();
    return { ok: true };
  }
  // The body says why (Grafana: `{"message": …}`, PagerDuty: `{"errors": […]}`); kept short, for the log.
  const body = (await res.text().catch(() => '')).slice(0, 200);
  const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
  return { ok: false, retryable, status: res.status, reason: `${what} answered ${res.status}${body ? `: ${body}` : ''}` };
}

/** A request that never got an answer (refused, reset, timed out) may pass on a later try. */
export function failedRequest(err: unknown, what: string): SendResult {
  const reason = err instanceof Error ? (err.name === 'TimeoutError' ? 'timed out' : err.message) : String(err);
  return { ok: false, retryable: true, reason: `${what}: ${reason}` };
}
