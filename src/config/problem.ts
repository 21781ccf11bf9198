import type { Config } from './schema.ts';

/** Something wrong with the configuration, where it is written. Environment problems use file `environment`. */
export type ConfigProblem = { file: string; line?: number; col?: number; message: string };

/** `warnings`: valid, but likely not what was meant (names where ids belong, a team that is no group). */
export type LoadResult = { ok: true; config: Config; warnings: ConfigProblem[] } | { ok: false; problems: ConfigProblem[] };

/** The `file` of problems found in environment variables. */
export const ENVIRONMENT_SOURCE = 'environment';
