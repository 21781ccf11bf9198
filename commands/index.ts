export { COMMANDS } from './registry.ts';
export { formatHelp } from './format-help.ts';
export { findCommand, commandWords } from './find-command.ts';
export { DEFAULT_CANARY_PERCENT } from './grammar/read-strategy.ts';
export { defaultEnvOf } from './grammar/read-env.ts';
export * from './schema.ts';
export type { AnyCommandSpec, CommandRegistry, CommandSpec, PolicyRef, SpecContext } from './spec.ts';
