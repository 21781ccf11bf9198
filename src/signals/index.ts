export type { Signal } from './signal.ts';
export { parseAlertmanager, type Parsed } from './parse-alertmanager.ts';
export { parseSentry } from './parse-sentry.ts';
export { verifySentrySignature } from './verify-sentry-signature.ts';
export { matchServices, type SignalService, type SignalTarget } from './match-services.ts';
export { signalCounts, type SignalDecision } from './signal-counts.ts';
