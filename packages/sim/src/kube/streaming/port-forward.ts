import type { Socket } from 'node:net';
import type { Pod } from '../kube-types.ts';
import { declaredPorts, podListensOn } from './pod-http.ts';
import type { SpdyStream } from './spdy-session.ts';

/** How long the kubelet waits for the second stream of a pair before giving up on the request. */
const PAIR_TIMEOUT_MS = 30_000;

/** Opens a TCP connection to a pod's port (the sim's loopback server that answers for every pod). */
export type PodConnector = (pod: Pod, port: number) => Socket;

/**
 * `portforward.k8s.io` over a SPDY session, as the kubelet serves it: for each local connection the client opens
 * an error stream and a data stream sharing a `requestID` header and naming the `port`. Bytes on the data stream
 * go to the pod's port and back; when the pod's side closes, both streams end. A port nothing listens on gets
 * the kubelet's message on the error stream — kubectl prints it and drops the forward, as on a real cluster.
 */
export function servePortForward(readPod: () => Pod | undefined, connect: PodConnector): (stream: SpdyStream) => void {
  const pairs = new Map<string, { error?: SpdyStream; data?: SpdyStream; timer: NodeJS.Timeout }>();
  return (stream) => {
    const requestId = stream.headers.requestid ?? '';
    const type = stream.headers.streamtype;
    let pair = pairs.get(requestId);
    if (!pair) {
      const timer = setTimeout(() => {
        const stale = pairs.get(requestId);
        pairs.delete(requestId);
        stale?.error?.end();
        stale?.data?.end();
      }, PAIR_TIMEOUT_MS);
      pair = { timer };
      pairs.set(requestId, pair);
    }
    if (type === 'error') pair.error = stream;
    else if (type === 'data') pair.data = stream;
    else {
      stream.end();
      return;
    }
    const { error, data } = pair;
    if (!error || !data) return;
    clearTimeout(pair.timer);
    pairs.delete(requestId);
    forward(readPod(), Number(stream.headers.port), error, data, connect);
  };
}

function forward(pod: Pod | undefined, port: number, error: SpdyStream, data: SpdyStream, connect: PodConnector): void {
  const fail = (message: string): void => {
    error.write(message);
    error.end();
    data.end();
  };
  if (!pod) return fail('error forwarding port: the pod is gone');
  const podId = `${pod.metadata.name ?? ''}_${pod.metadata.namespace ?? ''}`;
  if (!Number.isInteger(port) || port <= 0 || port > 65535) return fail(`error forwarding port ${String(port)} to pod ${podId}: invalid port`);
  if (!podListensOn(pod, port)) {
    const ports = declaredPorts(pod);
    return fail(`error forwarding port ${port} to pod ${podId}, uid ${pod.metadata.uid ?? ''}: failed to connect to localhost:${port} inside namespace "${podId}": connect: connection refused`
      + (ports.length > 0 ? ` (the simulated container listens on its declared containerPorts: ${ports.join(', ')})` : ''));
  }
  const socket = connect(pod, port);
  socket.on('data', (chunk: Buffer) => data.write(chunk));
  socket.on('error', () => socket.destroy());
  socket.on('close', () => {
    data.end();
    error.end();
  });
  data.onData((chunk) => socket.write(chunk));
  data.onEnd(() => socket.end());
}
