import { describe, expect, it } from 'vitest';
import { decodeK8sProtobuf } from '../../src/kube/protobuf/decode-k8s-protobuf.ts';

// Request bodies captured from kubectl v1.32 (`kubectl create deploy cap --image=cap:1 --replicas=0 --port=80 -n shop`
// and `kubectl create ns capns`), which send application/vnd.kubernetes.protobuf for typed commands.
const CREATE_DEPLOYMENT = 'azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50EroBCiMKA2NhcBIAGgRzaG9wIgAqADIAOABCAFoKCgNhcHASA2NhcBKEAQgAEgwKCgoDYXBwEgNjYXAaagocCgASABoAIgAqADIAOABCAFoKCgNhcHASA2NhcBJKEiwKA2NhcBIFY2FwOjEqADIKCgAQABhQIgAqAEIAagByAIABAIgBAJABAKIBABoAMgBCAEoAUgBYAGAAaACCAQCKAQCaAQDCAQAiAgoAKAA4ABoMCAAQABgAIAAoADgAGgAiAA==';
const CREATE_NAMESPACE = 'azhzAAoPCgJ2MRIJTmFtZXNwYWNlEh0KFQoFY2FwbnMSABoAIgAqADIAOABCABIAGgIKABoAIgA=';

describe('decodeK8sProtobuf', () => {
  it('decodes kubectl create deployment, keeping replicas: 0 and dropping empty scalars', () => {
    const result = decodeK8sProtobuf(Buffer.from(CREATE_DEPLOYMENT, 'base64'));
    expect(result).toEqual({
      ok: true,
      object: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'cap', namespace: 'shop', labels: { app: 'cap' } },
        spec: {
          replicas: 0,
          selector: { matchLabels: { app: 'cap' } },
          template: {
            metadata: { labels: { app: 'cap' } },
            spec: { containers: [{ name: 'cap', image: 'cap:1', ports: [{ containerPort: 80 }], resources: {} }] },
          },
          strategy: {},
        },
        status: {},
      },
    });
  });

  it('decodes kubectl create namespace', () => {
    expect(decodeK8sProtobuf(Buffer.from(CREATE_NAMESPACE, 'base64'))).toEqual({ ok: true, object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'capns' }, spec: {}, status: {} } });
  });

  it('refuses bodies without the magic prefix or of kinds it has no schema for', () => {
    expect(decodeK8sProtobuf(Buffer.from('{"kind":"x"}'))).toMatchObject({ ok: false });
    const secret = Buffer.concat([Buffer.from('k8s\0', 'binary'), Buffer.from([0x0a, 0x0c, 0x0a, 0x02, 0x76, 0x31, 0x12, 0x06, ...Buffer.from('Secret')])]);
    expect(decodeK8sProtobuf(secret)).toEqual({ ok: false, reason: 'v1/Secret protobuf bodies are not decoded by the sim' });
  });
});
