import {
  ResponseContext, SelfDecodingBody, ServerConfiguration, createConfiguration, setHeaderMiddleware, wrapHttpLibrary,
  type KubeConfig, type RequestContext,
} from '@kubernetes/client-node';
import { request } from 'undici';

/**
 * client-node's HTTP library on undici's `request()` instead of its `fetch()`. Same dispatcher (the kubeconfig's TLS
 * agent), same headers, body and abort signal; the response is read whole, as the generated APIs read it anyway.
 * fetch builds WHATWG Request/Response objects and streams for every call, which was most of the CPU a burst of
 * rollout steps spent (200 canaries starting at once: 0.65 s of 1.9 s in undici's fetch).
 */
const requestLibrary = wrapHttpLibrary({
  async send(ctx: RequestContext): Promise<ResponseContext> {
    const body = ctx.getBody();
    const res = await request(ctx.getUrl(), {
      method: ctx.getHttpMethod() as 'GET',
      headers: ctx.getHeaders(),
      ...(body !== undefined && { body: body as string | Buffer }),
      ...(ctx.getSignal() && { signal: ctx.getSignal() }),
      ...(ctx.getDispatcher() && { dispatcher: ctx.getDispatcher() }),
    });
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(res.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const data = Buffer.from(await res.body.arrayBuffer());
    return new ResponseContext(res.statusCode, headers, new SelfDecodingBody(Promise.resolve(data)));
  },
});

/**
 * `kc.makeApiClient(Api)`, with the HTTP library above: the kubeconfig still authenticates every call (tokens, exec
 * plugins, client certificates) as the auth method client-node's own factory registers.
 */
export function makeApiClient<T>(kc: KubeConfig, api: new (config: ReturnType<typeof createConfiguration>) => T): T {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('No active cluster!');
  return new api(createConfiguration({
    baseServer: new ServerConfiguration(cluster.server, {}),
    authMethods: { default: kc },
    httpApi: requestLibrary,
    middleware: [setHeaderMiddleware('User-Agent', 'deckhand (kubernetes-client-javascript)')],
  }));
}
