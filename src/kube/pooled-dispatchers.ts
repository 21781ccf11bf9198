import { createHash } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import { Agent } from 'undici';

type DispatcherFactory = (cluster: unknown, agentOptions: Record<string, unknown>) => unknown;

/**
 * How long an idle connection to the API server is kept: Go's HTTP transport, which client-go and kubectl use, keeps
 * them 90 s. undici's default of 4 s closed every connection during a canary's hold, so each burst of steps after it
 * opened them all again.
 */
const IDLE_CONNECTION_MS = 90_000;

/** The TLS material a dispatcher is built from, hashed: a rotated certificate or CA gets a new pool. */
export function keyOf(options: unknown): string {
  const hash = createHash('sha256');
  const walk = (value: unknown): void => {
    if (Buffer.isBuffer(value)) hash.update(value);
    else if (Array.isArray(value)) for (const v of value) walk(v);
    else if (value && typeof value === 'object') for (const k of Object.keys(value).sort()) { hash.update(`${k}:`); walk((value as Record<string, unknown>)[k]); }
    else hash.update(`${String(value)};`);
  };
  walk(options);
  return hash.digest('hex');
}

/** Whether two dispatcher options hold the same material: buffers by their bytes, everything else by value. */
export function sameMaterial(a: unknown, b: unknown): boolean {
  if (Buffer.isBuffer(a) || Buffer.isBuffer(b)) return Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.equals(b);
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameMaterial(v, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && sameMaterial((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  // Functions (a socks connector) are new per call: such options are hashed, by their text, as before.
  return typeof a !== 'function' && Object.is(a, b);
}

/**
 * client-node 2 builds a new undici Agent for every API call whenever the cluster has TLS settings (a CA, a client
 * certificate, or skip-verify): each call then opens a fresh connection and TLS handshake, and hundreds of rollouts
 * in flight pay for hundreds of handshakes a second. One Agent per distinct TLS material (and one for a cluster
 * without any) keeps connections alive and reused. Proxies keep client-node's own dispatchers. If a client-node
 * release renames the factory, calls fall back to its own per-call Agents.
 */
export function poolDispatchers(kc: KubeConfig): KubeConfig {
  const target = kc as unknown as { createDispatcher?: DispatcherFactory };
  const create = target.createDispatcher;
  if (typeof create !== 'function') return kc;
  const pool = new Map<string, unknown>();
  // client-node decodes the TLS material afresh for every call: the last call's options are compared byte for byte
  // (cheap) before the material is hashed again (a hash object and a sorted walk per API call).
  let last: { options: unknown; key: string } | undefined;
  target.createDispatcher = (cluster, agentOptions) => {
    const options = kc.createDispatcherOptions(cluster as Parameters<KubeConfig['createDispatcherOptions']>[0], agentOptions);
    const key = last && sameMaterial(last.options, options) ? last.key : keyOf(options);
    last = { options, key };
    if (!pool.has(key)) {
      pool.set(key, options.type === 'agent' || options.type === 'none'
        ? new Agent({ ...(options.type === 'agent' && { connect: options.connect }), keepAliveTimeout: IDLE_CONNECTION_MS })
        : create.call(kc, cluster, agentOptions));
    }
    return pool.get(key);
  };
  return kc;
}
