export * from './schema.ts';
export * from './steps.ts';
export * from './run-steps.ts';
export * from './format-check-value.ts';
export * from './chat-text.ts';
export * from './compare-versions.ts';
export * from './trace-context.ts';
export * from './link-template.ts';
export { strategyLabel } from './strategy-label.ts';
