import { describe, expect, it } from 'vitest';
import { applyStrategicMergePatch } from '../../src/kube/strategic-merge-patch.ts';

const deployment = {
  metadata: { name: 'api', labels: { app: 'api', tier: 'web' } },
  spec: {
    replicas: 2,
    template: {
      spec: {
        containers: [
          { name: 'api', image: 'api:v1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], ports: [{ containerPort: 8080, name: 'http' }] },
          { name: 'sidecar', image: 'envoy:1' },
        ],
        volumes: [{ name: 'config', configMap: { name: 'cfg' } }],
      },
    },
  },
};

describe('applyStrategicMergePatch', () => {
  it('merges containers by name (what kubectl set image sends)', () => {
    const patched = applyStrategicMergePatch(deployment, { spec: { template: { spec: { containers: [{ name: 'api', image: 'api:v2' }] } } } }) as typeof deployment;
    expect(patched.spec.template.spec.containers.map((c) => [c.name, c.image])).toEqual([['api', 'api:v2'], ['sidecar', 'envoy:1']]);
    expect(patched.spec.template.spec.containers[0]?.env).toHaveLength(2);
  });

  it('merges env by name and appends new entries', () => {
    const patched = applyStrategicMergePatch(deployment, { spec: { template: { spec: { containers: [{ name: 'api', env: [{ name: 'B', value: '20' }, { name: 'C', value: '3' }] }] } } } }) as typeof deployment;
    expect(patched.spec.template.spec.containers[0]?.env).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: '20' }, { name: 'C', value: '3' }]);
  });

  it('merges container ports by containerPort', () => {
    const patched = applyStrategicMergePatch(deployment, { spec: { template: { spec: { containers: [{ name: 'api', ports: [{ containerPort: 8080, protocol: 'TCP' }, { containerPort: 9090 }] }] } } } }) as typeof deployment;
    expect(patched.spec.template.spec.containers[0]?.ports).toEqual([{ containerPort: 8080, name: 'http', protocol: 'TCP' }, { containerPort: 9090 }]);
  });

  it('deletes a list element with $patch: delete', () => {
    const patched = applyStrategicMergePatch(deployment, { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } }) as typeof deployment;
    expect(patched.spec.template.spec.containers.map((c) => c.name)).toEqual(['api']);
  });

  it('replaces a list with a $patch: replace element', () => {
    const patched = applyStrategicMergePatch(deployment, { spec: { template: { spec: { containers: [{ name: 'only', image: 'x:1' }, { $patch: 'replace' }] } } } }) as typeof deployment;
    expect(patched.spec.template.spec.containers).toEqual([{ name: 'only', image: 'x:1' }]);
  });

  it('replaces a map with $patch: replace and deletes keys set to null', () => {
    const patched = applyStrategicMergePatch(deployment, { metadata: { labels: { $patch: 'replace', app: 'api2' } }, spec: { replicas: null } }) as { metadata: { labels: unknown }; spec: Record<string, unknown> };
    expect(patched.metadata.labels).toEqual({ app: 'api2' });
    expect(patched.spec).not.toHaveProperty('replicas');
  });

  it('ignores $setElementOrder and applies $deleteFromPrimitiveList', () => {
    const original = { metadata: { finalizers: ['a', 'b', 'c'] }, spec: { containers: [{ name: 'x' }] } };
    const patched = applyStrategicMergePatch(original, { $setElementOrder: 1, metadata: { '$deleteFromPrimitiveList/finalizers': ['b'] }, spec: { '$setElementOrder/containers': [{ name: 'x' }] } });
    expect(patched).toEqual({ metadata: { finalizers: ['a', 'c'] }, spec: { containers: [{ name: 'x' }] } });
  });

  it('replaces lists that have no merge key (args) and does not mutate the original', () => {
    const original = { spec: { containers: [{ name: 'a', args: ['--x', '--y'] }] } };
    const patched = applyStrategicMergePatch(original, { spec: { containers: [{ name: 'a', args: ['--z'] }] } });
    expect(patched).toEqual({ spec: { containers: [{ name: 'a', args: ['--z'] }] } });
    expect(original.spec.containers[0]?.args).toEqual(['--x', '--y']);
  });
});
