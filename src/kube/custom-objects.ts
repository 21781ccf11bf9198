import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { loadKubeConfig, type KubeSource } from './kube-client.ts';
import { makeApiClient } from './request-http-library.ts';
import { createRetrier } from './request-options.ts';
import { DEFAULT_RETRY_POLICY, failureCode, type RetryPolicy } from './retry-policy.ts';

/**
 * What every client of a custom resource (Argo CD, Argo Rollouts, Istio) starts from: the cluster's config, the
 * custom-objects API on it, and the retry policy every call Deckhand makes goes through (failed attempts reported to
 * `onRetry`, which metrics count).
 */
export function customObjectsOf(source: KubeSource): { kc: KubeConfig; custom: CustomObjectsApi; retry: ReturnType<typeof createRetrier> } {
  const kc = loadKubeConfig(source);
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...source.retry };
  const onRetry = source.onRetry;
  const retry = createRetrier(policy, onRetry ? (_f: unknown, _a: number, _d: number, err: unknown) => onRetry(failureCode(err)) : undefined);
  return { kc, custom: makeApiClient(kc, CustomObjectsApi), retry };
}
