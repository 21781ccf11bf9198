/**
 * The simulators' one error type. Shaped like the bot's coded errors (`code`, `userMessage`, `cause`) so a caller
 * that prints `userMessage` reads it the same way, without the package importing anything of the bot.
 */
export class SimError extends Error {
  readonly code = 'sim_error';
  /** What a person may read: what the simulator could not do (never a stack). */
  readonly userMessage: string;

  constructor(userMessage: string, options?: { cause?: unknown }) {
    super(`sim_error: ${userMessage}`, options);
    this.name = 'SimError';
    this.userMessage = userMessage;
  }
}
