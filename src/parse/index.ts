export { parseMessage, MAX_COMMAND_LENGTH } from './parse-message.ts';
export { tokenize } from './tokenize.ts';
export { catalogFromConfig, parseContextFromConfig } from './catalog-from-config.ts';
export { ParseProblem, ParseProblemCode } from './schema.ts';
export type { Catalog, CatalogService, ParseContext, ParseOutcome, Token } from './types.ts';
export type { Command, Verb } from '../../commands/index.ts';
