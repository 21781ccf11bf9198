/**
 * A W3C `traceparent` (https://www.w3.org/TR/trace-context/#traceparent-header): version `00`, a 16-byte trace id,
 * the 8-byte id of the deploy's root span, and the sampled flag. Written once into the deploy record when it is
 * created, so every step of the deploy — run by whichever worker, before or after a restart — joins the same trace,
 * and the root span (exported when the deploy ends) takes exactly this id.
 */
export const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

/** A fresh traceparent with random, non-zero ids (an all-zero id is invalid in the spec). */
export function newTraceparent(): string {
  const hex = (bytes: number): string => {
    for (;;) {
      // The Web Crypto global (no Node import: the shared domain stays free of built-ins).
      const id = Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
      if (!/^0+$/.test(id)) return id;
    }
  };
  return `00-${hex(16)}-${hex(8)}-01`;
}

/** The trace id and root span id of a traceparent, or undefined when it is not one this module writes. */
export function parseTraceparent(value: string | undefined): { traceId: string; spanId: string } | undefined {
  const m = value === undefined ? null : TRACEPARENT.exec(value);
  return m ? { traceId: m[1]!, spanId: m[2]! } : undefined;
}
