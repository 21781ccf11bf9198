export type { Signal } from './signal.ts';
export { parseAlertmanager, type Parsed } from './parse-alertmanager.ts';
export { parseSentry } from './parse-sentry.ts';
export { checkSentryDelivery, verifySentrySignature, SENTRY_MAX_SKEW_MS, type SentryDeliveryVerdict } from './verify-sentry-signature.ts';
export { matchServices, type SignalService, type SignalTarget } from './match-services.ts';
export { signalCounts, type SignalDecision } from './signal-counts.ts';
