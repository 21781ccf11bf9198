/**
 * All five simulators from one entry. Each is also its own entry (`@deckhand/sim/kube`, `/prometheus`, `/github`,
 * `/gitlab`, `/discord`), so a user of one loads only that one.
 */
export * from './kube/index.ts';
export * from './prometheus/index.ts';
export * from './github/index.ts';
export * from './gitlab/index.ts';
export * from './discord/index.ts';
export { SimError } from './errors.ts';
