import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { badRequest, notFound, pageNotFound, toKubeStatus } from '../api-error.ts';
import type { KubeObject, Pod } from '../kube-types.ts';
import type { ObjectStore } from '../object-store.ts';
import type { ResourceType } from '../resource-registry.ts';
import { containerEnvironment, containerFiles } from './container-environment.ts';
import type { ExecOptions } from './exec-process.ts';
import { serveExecOverSpdy, serveExecOverWebSocket } from './exec-transports.ts';
import type { CommandContext } from './pod-commands.ts';
import type { PodHttpHandler } from './pod-http.ts';
import { podListensOn } from './pod-http.ts';
import type { PodHttpServer } from './pod-http-server.ts';
import { servePortForward } from './port-forward.ts';
import type { SpdyStream, SpdyTransport } from './spdy-session.ts';
import { SpdyServerSession } from './spdy-session.ts';
import { acceptWebSocket, isWebSocketUpgrade, offeredProtocols } from './websocket.ts';

const EXEC_WEBSOCKET_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const EXEC_SPDY_PROTOCOL = 'v4.channel.k8s.io';
const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
/** kubectl 1.31+ tunnels the SPDY port-forward session through WebSocket under this subprotocol. */
const PORT_FORWARD_TUNNEL_PROTOCOL = `SPDY/3.1+${PORT_FORWARD_PROTOCOL}`;
const POD_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|portforward|attach)\/?$/;

export interface StreamingDeps {
  store: ObjectStore;
  pods: ResourceType;
  podHttp: () => PodHttpHandler;
  podServer: PodHttpServer;
}

/**
 * The upgrade requests of `kubectl exec` and `kubectl port-forward` (pods/exec, pods/portforward), over both
 * transports kubectl 1.32 knows: WebSocket first (`v5.channel.k8s.io`; SPDY tunnelled for port-forward), SPDY/3.1
 * as its fallback. Failures before the upgrade are answered as the API server and kubelet answer them (a Status,
 * or the kubelet's plain text), so kubectl prints what it prints against a real cluster. Returns the HTTP status
 * answered (101 once upgraded), for the request log.
 */
export function handleStreamingUpgrade(deps: StreamingDeps, req: IncomingMessage, socket: Duplex, head: Buffer): number {
  const url = new URL(req.url ?? '/', 'http://sim.invalid');
  try {
    const match = POD_PATH.exec(url.pathname);
    if (!match) throw pageNotFound();
    const namespace = decodeURIComponent(match[1] ?? '');
    const name = decodeURIComponent(match[2] ?? '');
    const action = match[3];
    const pod = deps.store.get(deps.pods, namespace, name) as Pod | undefined;
    if (!pod) throw notFound(deps.pods, name);
    if (action === 'attach') throw badRequest('the simulated cluster does not support attach: its containers run no console process to attach to; use "kubectl logs -f" to follow output, or "kubectl exec" to run a command');
    if (action === 'exec') return upgradeExec(deps, req, socket, head, pod, url.searchParams);
    return upgradePortForward(deps, req, socket, head, pod);
  } catch (err) {
    const status = toKubeStatus(err);
    return answer(socket, status.code, JSON.stringify(status), 'application/json');
  }
}

function upgradeExec(deps: StreamingDeps, req: IncomingMessage, socket: Duplex, head: Buffer, pod: Pod, query: URLSearchParams): number {
  const options = execOptions(pod, query);
  const containerStatus = pod.status?.containerStatuses?.find((s) => s.name === options.container);
  // The kubelet's own answer (plain text, not a Status): kubectl prints "unable to upgrade connection: …".
  if (!containerStatus?.state.running || pod.metadata.deletionTimestamp) return answer(socket, 404, `container not found ("${options.container}")`, 'text/plain');
  const context = commandContext(deps, pod, options);
  if (isWebSocketUpgrade(req)) {
    const protocol = EXEC_WEBSOCKET_PROTOCOLS.find((p) => offeredProtocols(req).includes(p));
    if (!protocol) throw badRequest(`unable to upgrade: none of the offered subprotocols is served (the simulated cluster speaks ${EXEC_WEBSOCKET_PROTOCOLS.join(', ')})`);
    serveExecOverWebSocket(acceptWebSocket(req, socket, head, protocol), options, context);
    return 101;
  }
  const session = upgradeSpdy(req, socket, head, EXEC_SPDY_PROTOCOL);
  let handler: (stream: SpdyStream) => void = () => {};
  serveExecOverSpdy(session.attach((stream) => handler(stream)), (h) => {
    handler = h;
  }, options, context);
  return 101;
}

function upgradePortForward(deps: StreamingDeps, req: IncomingMessage, socket: Duplex, head: Buffer, pod: Pod): number {
  if (pod.status?.phase !== 'Running') throw badRequest(`unable to forward port because pod is not running. Current status=${pod.status?.phase ?? 'Unknown'}`);
  const readPod = () => deps.store.get(deps.pods, pod.metadata.namespace, pod.metadata.name ?? '') as Pod | undefined;
  const onStream = servePortForward(readPod, (target, port) => deps.podServer.connect(target, port));
  if (isWebSocketUpgrade(req)) {
    if (!offeredProtocols(req).includes(PORT_FORWARD_TUNNEL_PROTOCOL)) throw badRequest(`unable to upgrade: the simulated cluster serves port-forward over WebSocket only as ${PORT_FORWARD_TUNNEL_PROTOCOL}`);
    const ws = acceptWebSocket(req, socket, head, PORT_FORWARD_TUNNEL_PROTOCOL);
    const session = new SpdyServerSession({ write: (data) => ws.send(data), end: () => ws.close(1000) }, onStream);
    ws.onMessage((data) => session.receive(data));
    ws.onClose(() => session.transportClosed());
    return 101;
  }
  upgradeSpdy(req, socket, head, PORT_FORWARD_PROTOCOL).attach(onStream);
  return 101;
}

/** `Upgrade: SPDY/3.1` on the raw socket; the session starts once a stream handler is attached. */
function upgradeSpdy(req: IncomingMessage, socket: Duplex, head: Buffer, protocol: string): { attach(onStream: (stream: SpdyStream) => void): SpdyServerSession } {
  const offered = String(req.headers['x-stream-protocol-version'] ?? '').split(',').map((p) => p.trim());
  if ((req.headers.upgrade ?? '').toLowerCase() !== 'spdy/3.1') throw badRequest('Upgrade request required');
  if (!offered.includes(protocol)) throw badRequest(`unable to upgrade: unable to negotiate protocol: client supports ${JSON.stringify(offered)}, server supports ["${protocol}"]`);
  return {
    attach: (onStream) => {
      socket.write(['HTTP/1.1 101 Switching Protocols', 'Connection: Upgrade', 'Upgrade: SPDY/3.1', `X-Stream-Protocol-Version: ${protocol}`, '', ''].join('\r\n'));
      const transport: SpdyTransport = { write: (data) => socket.writable && socket.write(data), end: () => socket.end() };
      const session = new SpdyServerSession(transport, onStream);
      socket.on('data', (chunk: Buffer) => session.receive(chunk));
      socket.on('close', () => session.transportClosed());
      socket.on('error', () => socket.destroy());
      if (head.length > 0) session.receive(head);
      return session;
    },
  };
}

/** The exec query (`command` repeated, `container`, `stdin`/`stdout`/`stderr`/`tty`), checked as the API server does. */
function execOptions(pod: Pod, query: URLSearchParams): ExecOptions {
  const flag = (name: string) => query.get(name) === 'true' || query.get(name) === '1';
  const names = pod.spec.containers.map((c) => c.name);
  let container = query.get('container') ?? '';
  if (container === '') {
    if (names.length !== 1) throw badRequest(`a container name must be specified for pod ${pod.metadata.name ?? ''}, choose one of: [${names.join(' ')}]`);
    container = names[0] ?? '';
  }
  if (!names.includes(container)) throw badRequest(`container ${container} is not valid for pod ${pod.metadata.name ?? ''}`);
  const options: ExecOptions = { command: query.getAll('command'), container, stdin: flag('stdin'), stdout: flag('stdout'), stderr: flag('stderr'), tty: flag('tty') };
  if (!options.stdin && !options.stdout && !options.stderr) throw badRequest('you must specify at least 1 of stdin, stdout, stderr');
  return options;
}

function commandContext(deps: StreamingDeps, pod: Pod, options: ExecOptions): Omit<CommandContext, 'signal'> {
  const { store } = deps;
  const type = (gv: string, resource: string) => store.registry.lookup(gv, resource);
  const services = type('v1', 'services');
  const configMaps = type('v1', 'configmaps');
  const namespaced: KubeObject[] = services ? store.list(services, pod.metadata.namespace) : [];
  const master = services ? store.get(services, 'default', 'kubernetes') : undefined;
  const env = containerEnvironment(pod, options.container, {
    services: [...namespaced.filter((s) => s.metadata.uid !== master?.metadata.uid), ...(master ? [master] : [])],
    configMap: (name) => (configMaps ? store.get(configMaps, pod.metadata.namespace, name) : undefined),
  }, options.tty);
  return {
    pod,
    env,
    files: containerFiles(pod),
    now: () => store.now(),
    http: async (port, method, path) => {
      const current = store.get(deps.pods, pod.metadata.namespace, pod.metadata.name ?? '') as Pod | undefined;
      if (!current || !podListensOn(current, port)) return 'refused';
      return deps.podHttp()({ namespace: current.metadata.namespace ?? '', pod: current.metadata.name ?? '', port, method, path, headers: {}, body: Buffer.alloc(0) });
    },
  };
}

/** A plain HTTP answer on the raw socket (the upgrade did not happen), then hang up. */
function answer(socket: Duplex, status: number, body: string, contentType: string): number {
  if (socket.writable) {
    socket.end([`HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : status === 400 ? 'Bad Request' : 'Error'}`, `Content-Type: ${contentType}`, `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close', '', body].join('\r\n'));
  }
  return status;
}
