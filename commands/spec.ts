import type { z } from 'zod';
import type { ParseContext, SpecOutcome, Token } from '../src/parse/types.ts';
import type { CommandOf, Verb } from './schema.ts';

/** What a verb's parser is given: the parse context plus the registry (so `/help` can read it). */
export type SpecContext = ParseContext & { registry: CommandRegistry };

/**
 * Which policy decides a verb. A verb that changes state names the Rego package and rule whose decision the one
 * authorization gate asks for (`data.deckhand.<package>.<rule>`); only verbs that change nothing say `read`.
 * The field is required, so a new verb cannot be registered without saying which policy governs it.
 */
export type PolicyRef =
  | { kind: 'decision'; package: 'deploy' | 'rollback' | 'actions'; rule: 'decision' }
  | { kind: 'read' };

/** One verb: how people type it, what it means, and a pure parser for its arguments. */
export type CommandSpec<V extends Verb> = {
  name: V;
  /** The policy that authorizes it (see PolicyRef). */
  policy: PolicyRef;
  /** Other words for the verb (lowercase, without `/`). */
  aliases: readonly string[];
  /** One line for `/help`. */
  summary: string;
  /** `/verb <required> [optional]`, shown on problems and in `/help <verb>`. */
  usage: string;
  examples: readonly string[];
  /** The shape of the parsed command; parseMessage checks every result against it. */
  schema: z.ZodType<CommandOf<V>>;
  /** Reads the words after the verb. Pure; never throws; returns the whole command or a problem. */
  parse(args: readonly Token[], ctx: SpecContext): SpecOutcome<CommandOf<V>>;
};

export type AnyCommandSpec = { [V in Verb]: CommandSpec<V> }[Verb];

/** The verbs by canonical name, in the order `/help` lists them. */
export type CommandRegistry = ReadonlyMap<Verb, AnyCommandSpec>;
