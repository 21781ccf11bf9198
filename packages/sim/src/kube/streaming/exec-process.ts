import type { CommandContext, CommandIO } from './pod-commands.ts';
import { COMMAND_NAMES, commandName, isKnownCommand, runSimpleCommand, SHELLS } from './pod-commands.ts';
import { runShell } from './pod-shell.ts';

/** What `kubectl exec` asked for, from the exec URL's query. */
export interface ExecOptions {
  command: string[];
  container: string;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** The outputs of a running command, written by the transport (WebSocket channels or SPDY streams). */
export interface ExecOutput {
  stdout(data: Buffer): void;
  stderr(data: Buffer): void;
  /** The final status (metav1.Status on the error channel): the transport sends it and ends the session. */
  finish(status: ExecStatus): void;
}

/** The inputs the transport feeds in. */
export interface ExecInput {
  stdin(data: Buffer): void;
  stdinEnd(): void;
  /** The client went away: stop whatever runs. */
  abort(): void;
}

/** remotecommand's metav1.Status on the error channel (v4 and v5 protocols). */
export interface ExecStatus {
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  code?: number;
  details?: { causes: Array<{ reason: string; message: string }> };
}

/** The status for an exit code, as the kubelet's remotecommand server writes it. */
export function exitStatus(command: string[], exitCode: number): ExecStatus {
  if (exitCode === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

/**
 * Runs one exec in a simulated container: the command (or a shell) against the container's environment, files
 * and own HTTP port. An unknown program fails to start, as a runtime reports a missing executable — with the
 * list of what the simulated container does have.
 */
export function startExec(options: ExecOptions, context: Omit<CommandContext, 'signal'>, output: ExecOutput): ExecInput {
  const abort = new AbortController();
  const chunks: Buffer[] = [];
  let stdinEnded = !options.stdin;
  let waiting: ((chunk: Buffer | undefined) => void) | undefined;
  // A terminal turns "\n" into "\r\n" (ONLCR) and merges stderr into stdout.
  const toTerminal = (text: string | Buffer): Buffer => Buffer.from(options.tty ? text.toString().replace(/\r?\n/g, '\r\n') : text);
  const io: CommandIO = {
    out: (text) => {
      if (options.stdout) output.stdout(toTerminal(text));
    },
    err: (text) => {
      if (options.tty && options.stdout) output.stdout(toTerminal(text));
      else if (options.stderr) output.stderr(Buffer.from(text));
    },
    readStdin: () => {
      const next = chunks.shift();
      if (next !== undefined || stdinEnded) return Promise.resolve(next);
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
  };
  const deliver = (chunk: Buffer | undefined): void => {
    const resolve = waiting;
    waiting = undefined;
    if (resolve) resolve(chunk);
    else if (chunk !== undefined) chunks.push(chunk);
  };

  const argv = options.command;
  const name = commandName(argv[0] ?? '');
  if (argv.length === 0 || !isKnownCommand(name)) {
    queueMicrotask(() => output.finish({
      metadata: {},
      status: 'Failure',
      reason: 'InternalError',
      code: 500,
      message: `Internal error occurred: error executing command in container: exec: "${argv[0] ?? ''}": executable file not found in $PATH (the simulated container runs only: ${COMMAND_NAMES.join(', ')})`,
    }));
  } else {
    const ctx: CommandContext = { ...context, signal: abort.signal };
    const run = SHELLS.has(name) ? runShell(argv.slice(1), ctx, io, options.tty) : runSimpleCommand(argv, ctx, io);
    void run
      .catch((err: unknown) => {
        io.err(`${name}: ${err instanceof Error ? err.message : String(err)}\n`);
        return 1;
      })
      .then((code) => {
        if (!abort.signal.aborted) output.finish(exitStatus(argv, code));
      });
  }

  const shell = SHELLS.has(name);
  return {
    stdin: (data) => {
      if (stdinEnded) return;
      // On a terminal Ctrl-C is a byte on stdin; the simulated shell handles it, a plain command is interrupted.
      if (options.tty && !shell && data.includes(0x03)) {
        abort.abort();
        output.finish(exitStatus(argv, 130));
        return;
      }
      deliver(data);
    },
    stdinEnd: () => {
      stdinEnded = true;
      deliver(undefined);
    },
    abort: () => {
      abort.abort();
      stdinEnded = true;
      deliver(undefined);
    },
  };
}
