/**
 * A W3C `traceparent` (https://www.w3.org/TR/trace-context/#traceparent-header): version `00`, a 16-byte trace id,
 * the 8-byte id of the deploy's root span, and the sampled flag. Written once into the deploy record when it is
 * created, so every step of the deploy — run by whichever worker, before or after a restart — joins the same trace,
 * and the root span (exported when the deploy ends) takes exactly this id.
 */
export const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** A fresh traceparent with random, non-zero ids (an all-zero id is invalid in the spec). */
export function newTraceparent(): string {
  for (;;) {
    // The Web Crypto global (no Node import: the shared domain stays free of built-ins); one draw for both ids.
    const bytes = crypto.getRandomValues(new Uint8Array(24));
    let traceId = '';
    let spanId = '';
    for (let i = 0; i < 16; i++) traceId += HEX[bytes[i]!];
    for (let i = 16; i < 24; i++) spanId += HEX[bytes[i]!];
    if (!/^0+$/.test(traceId) && !/^0+$/.test(spanId)) return `00-${traceId}-${spanId}-01`;
  }
}

/** The trace id and root span id of a traceparent, or undefined when it is not one this module writes. */
export function parseTraceparent(value: string | undefined): { traceId: string; spanId: string } | undefined {
  const m = value === undefined ? null : TRACEPARENT.exec(value);
  return m ? { traceId: m[1]!, spanId: m[2]! } : undefined;
}
