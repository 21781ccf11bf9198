import type { CommandContext } from './pod-commands.ts';
import type { ExecInput, ExecOptions, ExecStatus } from './exec-process.ts';
import { startExec } from './exec-process.ts';
import type { SpdyServerSession, SpdyStream } from './spdy-session.ts';
import type { WebSocketConnection } from './websocket.ts';

/** remotecommand channel numbers (k8s.io/apimachinery/pkg/util/remotecommand). */
const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;
/** How long the kubelet waits for a SPDY client to open every stream it asked for. */
const STREAM_CREATION_TIMEOUT_MS = 30_000;
/** After the status is sent the client closes the connection; this closes it if the client does not. */
const LINGER_MS = 10_000;

type ExecContext = Omit<CommandContext, 'signal'>;

/**
 * Exec over WebSocket, `v5.channel.k8s.io` (kubectl 1.30+) or `v4.channel.k8s.io`: every message is one channel
 * byte and data. The status goes on the error channel, then a normal close — which is how the client's
 * stdout/stderr readers see end of stream. v5 adds the CLOSE signal (255, channel): stdin is finished.
 */
export function serveExecOverWebSocket(ws: WebSocketConnection, options: ExecOptions, context: ExecContext): void {
  let finished = false;
  const send = (channel: number, data: Buffer) => ws.send(Buffer.concat([Buffer.from([channel]), data]));
  const early: Buffer[] = [];
  let input: ReturnType<typeof startExec> | undefined;
  const deliver = (message: Buffer): void => {
    const channel = message[0];
    if (channel === CHANNEL.stdin) input?.stdin(message.subarray(1));
    else if (channel === CHANNEL.close && message[1] === CHANNEL.stdin) input?.stdinEnd();
    // Resize messages ({"Width":…,"Height":…}) change nothing for the simulated terminal.
  };
  // client-go registers its stream readers only after the connection is up, and drops what comes before ("Unknown
  // stream id"): a real process takes that long to start, so the simulated one starts a moment later.
  const start = setTimeout(() => {
    if (finished) return;
    input = startExec(options, context, {
      stdout: (data) => send(CHANNEL.stdout, data),
      stderr: (data) => send(CHANNEL.stderr, data),
      finish: (status) => {
        if (finished) return;
        finished = true;
        send(CHANNEL.error, Buffer.from(JSON.stringify(status)));
        ws.close(1000);
      },
    });
    for (const message of early.splice(0)) deliver(message);
  }, PROCESS_START_MS);
  ws.onMessage((message) => {
    if (input) deliver(message);
    else early.push(message);
  });
  ws.onClose(() => {
    if (finished) return;
    finished = true;
    clearTimeout(start);
    input?.abort();
  });
}

/** How long the simulated process takes to start after the exec connection opens. */
const PROCESS_START_MS = 50;

/**
 * Exec over SPDY (`v4.channel.k8s.io`; kubectl falls back to it when WebSocket fails): the client opens one
 * stream per channel, named by its `streamType` header. The command starts once every requested stream is open;
 * stdout/stderr end with FIN, the status is written on the error stream, and the client then hangs up.
 */
export function serveExecOverSpdy(session: SpdyServerSession, accept: (handler: (stream: SpdyStream) => void) => void, options: ExecOptions, context: ExecContext): void {
  const expected = new Set(['error', ...(options.stdin ? ['stdin'] : []), ...(options.stdout ? ['stdout'] : []), ...(options.stderr && !options.tty ? ['stderr'] : []), ...(options.tty ? ['resize'] : [])]);
  const streams = new Map<string, SpdyStream>();
  let input: ExecInput | undefined;
  let finished = false;
  const timeout = setTimeout(() => session.close(), STREAM_CREATION_TIMEOUT_MS);
  session.onClose(() => {
    clearTimeout(timeout);
    if (!finished) input?.abort();
    finished = true;
  });

  const finish = (status: ExecStatus): void => {
    if (finished) return;
    finished = true;
    streams.get('stdout')?.end();
    streams.get('stderr')?.end();
    const error = streams.get('error');
    error?.write(JSON.stringify(status));
    error?.end();
    setTimeout(() => session.close(), LINGER_MS).unref();
  };

  accept((stream) => {
    const type = stream.headers.streamtype ?? '';
    if (!expected.has(type) || streams.has(type)) {
      stream.end();
      return;
    }
    streams.set(type, stream);
    if (streams.size < expected.size) return;
    clearTimeout(timeout);
    const running = startExec(options, context, {
      stdout: (data) => streams.get('stdout')?.write(data),
      stderr: (data) => streams.get('stderr')?.write(data),
      finish,
    });
    input = running;
    const stdin = streams.get('stdin');
    stdin?.onData((data) => running.stdin(data));
    stdin?.onEnd(() => running.stdinEnd());
  });
}
