import { HttpInfo, type AppsV1Api, type ResponseContext } from '@kubernetes/client-node';

type AnswerReader = (response: ResponseContext) => Promise<HttpInfo<unknown>>;

/** The generated answers of the Deployment calls a rollout makes over and over. */
const DEPLOYMENT_ANSWERS = ['readNamespacedDeploymentWithHttpInfo', 'patchNamespacedDeploymentWithHttpInfo', 'createNamespacedDeploymentWithHttpInfo'] as const;
const JSON_MEDIA_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/**
 * An AppsV1Api whose Deployment answers (read, patch, create) are the API server's JSON as it came, not client-node's
 * model classes: mapping a Deployment onto those walks every attribute of every nested type, present or not, and was
 * about a tenth of the CPU a burst of 200 canary starts spent, for answers that are only flattened to a status or
 * dropped. In the JSON the few Date fields (creation and condition times) stay RFC 3339 strings; nothing read through
 * this client uses them, and client-node sends such strings back unchanged. Requests (auth, TLS, middleware, retries)
 * are client-node's as before, and any answer that is not a 2xx JSON body still goes through the generated code, so
 * errors are its own ApiException. If a client-node release moves the answer readers, answers keep their models.
 */
export function withPlainDeploymentBodies(apps: AppsV1Api): AppsV1Api {
  const readers = (apps as unknown as { api?: { responseProcessor?: Partial<Record<string, AnswerReader>> } }).api?.responseProcessor;
  if (!readers) return apps;
  for (const name of DEPLOYMENT_ANSWERS) {
    const generated = readers[name];
    if (typeof generated !== 'function') continue;
    readers[name] = async (response) => {
      const ok = response.httpStatusCode >= 200 && response.httpStatusCode <= 299;
      if (!ok || !JSON_MEDIA_TYPE.test(response.headers['content-type'] ?? '')) return generated.call(readers, response);
      return new HttpInfo(response.httpStatusCode, response.headers, response.body, JSON.parse(await response.body.text()) as unknown);
    };
  }
  return apps;
}
