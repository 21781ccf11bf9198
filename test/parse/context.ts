import type { ParseContext } from '../../src/parse/index.ts';

/** A catalog like the example deckhand.yaml, written out so parser tests do not depend on that file. */
export const catalog: ParseContext['catalog'] = {
  services: {
    api: { environments: ['staging', 'production'], versionPattern: '^v\\d+\\.\\d+\\.\\d+$', defaultStrategy: 'rolling', defaultEnv: 'staging' },
    web: { environments: ['staging', 'production'], versionPattern: '^v\\d+\\.\\d+\\.\\d+$', defaultStrategy: 'canary', defaultEnv: 'staging' },
    worker: { environments: ['staging', 'production'], versionPattern: '^\\d+\\.\\d+\\.\\d+$', versionExample: '2.3.0', defaultStrategy: 'rolling' },
    /** Only in production, and a tag shape with letters: exercises the only-env default and case-kept versions. */
    billing: { environments: ['production'], versionPattern: '[A-Za-z0-9._-]+', defaultStrategy: 'bluegreen' },
    /** No staging and two environments: no default environment. */
    search: { environments: ['qa', 'production'], versionPattern: '^v\\d+\\.\\d+\\.\\d+$', defaultStrategy: 'rolling' },
  },
};

/** A channel: only `/verbs` and mentions are for Deckhand. */
export const channel: ParseContext = { catalog, botName: 'deckhand', botUserId: 'U0DECK', addressed: false };

/** A DM or the console: every message is for Deckhand. */
export const direct: ParseContext = { ...channel, addressed: true };
