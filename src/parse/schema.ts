import { z } from 'zod';

export const ParseProblemCode = z.enum(['parse_unknown_command', 'parse_invalid_argument', 'parse_missing_argument']);
export type ParseProblemCode = z.infer<typeof ParseProblemCode>;

/**
 * Why a message addressed to Deckhand is not a command, worded for the person who typed it.
 * `suggestion` is a whole corrected command line the person could send as is (chat adapters may offer it
 * as a button); `usage` is the verb's usage line; `hint` is extra help, like the list of known services.
 */
export const ParseProblem = z.object({
  code: ParseProblemCode,
  message: z.string(),
  hint: z.string().optional(),
  suggestion: z.string().optional(),
  usage: z.string().optional(),
}).strict();
export type ParseProblem = z.infer<typeof ParseProblem>;
