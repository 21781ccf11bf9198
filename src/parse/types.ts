import type { StrategyKind } from '../deploy/index.ts';
import type { Command } from '../../commands/schema.ts';
import type { ParseProblem } from './schema.ts';

/** Re-exported so that commands/ reads all of the parser's types from this one file (.dependency-cruiser.js). */
export type { ParseProblem } from './schema.ts';

/** One word of a message. `quoted` words are never read as keywords or flags (`"to"` is just the text to). */
export type Token = { text: string; quoted: boolean };

/** What the parser needs to know about one service. */
export type CatalogService = {
  environments: readonly string[];
  /** Matched against the whole version. */
  versionPattern: string;
  /** Shown when a version does not match; guessed from common shapes when absent. */
  versionExample?: string;
  defaultStrategy: StrategyKind;
  /** Where deploys and rollbacks go when no environment is named; see `defaultEnvOf`. */
  defaultEnv?: string;
};

/** Services by canonical (lowercase) name. */
export type Catalog = { services: Readonly<Record<string, CatalogService>> };

export type ParseContext = {
  catalog: Catalog;
  /** The name people mention: `@deckhand …`, `/deckhand …`. */
  botName: string;
  /** The platform's id for the bot, to recognise `<@U123> deploy …` (Slack) and `<@123>`/`<@!123>` (Discord). */
  botUserId?: string;
  /** True where every message is meant for Deckhand (direct messages, the console): `deploy …` works without `/`. */
  addressed: boolean;
};

export type ParseOutcome =
  | { kind: 'command'; command: Command }
  | { kind: 'problem'; problem: ParseProblem }
  /** The message is ordinary conversation; Deckhand stays quiet. */
  | { kind: 'not_for_us' };

/** What one verb's parser returns: never `not_for_us`, since by then the message is known to be for us. */
export type SpecOutcome<C> = { kind: 'command'; command: C } | { kind: 'problem'; problem: ParseProblem };
