import type { Token } from '../../src/parse/types.ts';

/** Which word of which command a grammar helper is reading, so its problems can quote and correct the line. */
export type Where = { verb: string; usage: string; args: readonly Token[]; index: number };
