import { stringify } from 'yaml';

/**
 * A kubeconfig pointing at the sim: plain HTTP on 127.0.0.1, a static token (the sim accepts any), and a
 * `default` namespace so `kubectl get deploy` works without `-n`.
 */
export function renderKubeconfig(url: string, options: { contextName?: string } = {}): string {
  const name = options.contextName ?? 'deckhand-sim';
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: url, 'insecure-skip-tls-verify': true } }],
    users: [{ name, user: { token: 'deckhand-sim-token' } }],
    contexts: [{ name, context: { cluster: name, user: name, namespace: 'default' } }],
    'current-context': name,
    preferences: {},
  });
}
