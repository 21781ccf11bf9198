import type { Logger } from 'pino';

let installed = false;

export interface FinalHandlerOptions {
  log: Pick<Logger, 'fatal'>;
  /** Process exit, injectable for tests. */
  exit?: (code: number) => void;
}

/**
 * The one final handler of the process: an exception or rejection nothing else caught is logged through the masking
 * logger (Node's own dump would print the error object raw, credentials and all) and the process stops with exit
 * code 1. Children it spawned go with it: each holds a pipe from this process and stops when the pipe closes.
 * Installing twice is a no-op, so the handler stays the only one.
 */
export function installFinalHandler(o: FinalHandlerOptions): boolean {
  if (installed) return false;
  installed = true;
  const exit = o.exit ?? ((code: number) => process.exit(code));
  let stopping = false;
  const fatal = (what: string) => (err: unknown): void => {
    if (stopping) return;
    stopping = true;
    try {
      o.log.fatal({ err }, `${what}: Deckhand is stopping`);
    } catch {
      // The logger itself failed; exiting non-zero still tells the supervisor.
    }
    exit(1);
  };
  process.on('uncaughtException', fatal('uncaught exception'));
  process.on('unhandledRejection', fatal('unhandled promise rejection'));
  return true;
}
