import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { connect } from 'node:net';
import type { Pod } from '../kube-types.ts';
import type { PodHttpHandler } from './pod-http.ts';

/** The loopback server that stands in for every simulated pod's HTTP port behind `kubectl port-forward`. */
export interface PodHttpServer {
  /** A TCP connection to `port` of `pod`: the bytes of a port-forwarded connection go through it. */
  connect(pod: Pod, port: number): Socket;
  close(): Promise<void>;
}

/**
 * One real HTTP server on 127.0.0.1 answers for all pods: each forwarded connection is told apart by its local
 * port, recorded when the sim connects. Requests go to the current `handler()` (the sandbox can swap it in).
 */
export async function startPodHttpServer(handler: () => PodHttpHandler): Promise<PodHttpServer> {
  const targets = new Map<number, { namespace: string; pod: string; port: number }>();
  const server = createServer((req, res) => {
    const target = targets.get(req.socket.remotePort ?? -1);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (!target) {
        res.writeHead(502).end('unknown pod connection\n');
        return;
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[name] = value;
      handler()({ ...target, method: req.method ?? 'GET', path: req.url ?? '/', headers, body: Buffer.concat(chunks) })
        .then((answer) => {
          const body = Buffer.from(answer.body);
          res.writeHead(answer.status, { 'content-type': 'text/plain; charset=utf-8', ...answer.headers, 'content-length': String(body.length) });
          res.end(req.method === 'HEAD' ? undefined : body);
        })
        .catch((err: unknown) => {
          res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' }).end(`the simulated pod could not answer: ${err instanceof Error ? err.message : String(err)}\n`);
        });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port: serverPort } = server.address() as AddressInfo;

  return {
    connect: (pod, port) => {
      const socket = connect({ host: '127.0.0.1', port: serverPort });
      // Writes wait for the connection: the server must not read a request before its pod is known.
      socket.cork();
      socket.once('connect', () => {
        const localPort = socket.localPort;
        if (localPort !== undefined) {
          const target = { namespace: pod.metadata.namespace ?? '', pod: pod.metadata.name ?? '', port };
          targets.set(localPort, target);
          // The local port may already serve a newer connection by the time this one's close is reported.
          socket.once('close', () => {
            if (targets.get(localPort) === target) targets.delete(localPort);
          });
        }
        socket.uncork();
      });
      return socket;
    },
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
