import { parse as parseYaml } from 'yaml';
import { badRequest, KubeApiError } from './api-error.ts';
import { decodeK8sProtobuf } from './protobuf/decode-k8s-protobuf.ts';

/**
 * Decodes a request body by its Content-Type: JSON (and the JSON patch types), YAML (server-side apply's
 * `application/apply-patch+yaml`, `application/yaml`), and Kubernetes protobuf for the kinds kubectl's typed
 * commands create (anything else in protobuf answers 415, asking for JSON).
 */
export function decodeBody(raw: Buffer | undefined, contentType: string | undefined): unknown {
  if (raw === undefined || raw.length === 0) return undefined;
  const mediaType = (contentType ?? 'application/json').split(';')[0]?.trim().toLowerCase() ?? '';
  if (mediaType.includes('protobuf')) {
    const decoded = decodeK8sProtobuf(raw);
    if (decoded.ok) return decoded.object;
    throw new KubeApiError({ message: `the simulated cluster cannot decode this ${mediaType} body (${decoded.reason}); send application/json`, reason: 'UnsupportedMediaType', code: 415 });
  }
  const text = raw.toString('utf8');
  if (text.trim() === '') return undefined;
  if (mediaType.includes('yaml')) {
    try {
      return parseYaml(text) as unknown;
    } catch {
      throw badRequest(`the request body is not valid YAML: ${text.slice(0, 80)}`);
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest(`the request body is not valid JSON: ${text.slice(0, 80)}`);
  }
}
