import { describe, expect, it } from 'vitest';
import { readImageTag, setImageTag, type TagLocation } from '../../src/rollout/gitops/set-image-tag.ts';

const KUSTOMIZATION = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
# the production overlay
resources:
  - ../../base
images:
  - name: registry.local/acme/web   # not ours
    newTag: v9.9.9
  - name: registry.local/acme/api
    newTag: v1.4.0 # bumped by Deckhand
    digest: sha256:${'a'.repeat(64)}
  - name: "registry.local/acme/worker"
    newTag: '1.10'
`;

const VALUES = `replicaCount: 3
image:
  repository: registry.local/acme/api
  # the version Argo CD syncs
  tag: "v1.4.0"
  pullPolicy: IfNotPresent
`;

const MANIFEST = `apiVersion: v1
kind: Service
metadata: { name: api }
spec: { ports: [{ port: 80 }] }
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: sidecar
          image: envoy:v1.30
        - name: api
          image: mirror.local/acme/api:v1.4.0   # pinned by Deckhand
          ports: [{ containerPort: 8080 }]
`;

const API: TagLocation = { format: 'kustomize', image: 'registry.local/acme/api' };
const DIGEST = `sha256:${'b'.repeat(64)}`;

/** The lines that differ between two texts of the same length in lines. */
function changedLines(a: string, b: string): string[] {
  const al = a.split('\n');
  return b.split('\n').filter((line, i) => line !== al[i]);
}

describe('setImageTag: kustomize', () => {
  it('reads the entry for the image, digest included', () => {
    expect(readImageTag(KUSTOMIZATION, API)).toEqual({ kind: 'found', current: { tag: 'v1.4.0', digest: `sha256:${'a'.repeat(64)}` } });
  });

  it('changes only the tag and digest bytes when pinning a digest; comments and other entries stay', () => {
    const r = setImageTag(KUSTOMIZATION, API, { tag: 'v1.5.0', digest: DIGEST });
    if (r.kind !== 'edited') throw new Error(r.message);
    expect(r.changed).toBe(true);
    expect(r.text).toBe(KUSTOMIZATION.replace('v1.4.0 #', 'v1.5.0 #').replace('a'.repeat(64), 'b'.repeat(64)));
    expect(readImageTag(r.text, API)).toEqual({ kind: 'found', current: { tag: 'v1.5.0', digest: DIGEST } });
  });

  it('drops an old digest when the new version is not pinned (it would pin the old image)', () => {
    const r = setImageTag(KUSTOMIZATION, API, { tag: 'v1.5.0' });
    if (r.kind !== 'edited') throw new Error(r.message);
    expect(r.text).not.toContain('digest:');
    expect(r.text).toContain('    newTag: v1.5.0 # bumped by Deckhand\n  - name: "registry.local/acme/worker"');
    expect(readImageTag(r.text, API)).toEqual({ kind: 'found', current: { tag: 'v1.5.0' } });
  });

  it('adds a digest line under newTag, indented like it', () => {
    const text = 'images:\n  - name: registry.local/acme/api\n    newTag: v1.4.0\n';
    const r = setImageTag(text, API, { tag: 'v1.5.0', digest: DIGEST });
    if (r.kind !== 'edited') throw new Error(r.message);
    expect(r.text).toBe(`images:\n  - name: registry.local/acme/api\n    newTag: v1.5.0\n    digest: ${DIGEST}\n`);
  });

  it('keeps the quoting style and quotes a tag YAML would read as a number', () => {
    const worker: TagLocation = { format: 'kustomize', image: 'registry.local/acme/worker' };
    expect(readImageTag(KUSTOMIZATION, worker)).toEqual({ kind: 'found', current: { tag: '1.10' } });
    const r = setImageTag(KUSTOMIZATION, worker, { tag: '1.20' });
    if (r.kind !== 'edited') throw new Error(r.message);
    expect(changedLines(KUSTOMIZATION, r.text)).toEqual(["    newTag: '1.20'"]);
    const plain = setImageTag('images:\n  - name: x\n    newTag: v1\n', { format: 'kustomize', image: 'x' }, { tag: '2.0' });
    if (plain.kind !== 'edited') throw new Error(plain.message);
    expect(plain.text).toBe('images:\n  - name: x\n    newTag: "2.0"\n');
  });

  it('edits a flow-style entry through the document (comments kept)', () => {
    const text = '# overlay\nimages: [{name: x, newTag: v1}]\n';
    const r = setImageTag(text, { format: 'kustomize', image: 'x' }, { tag: 'v2' });
    if (r.kind !== 'edited') throw new Error(r.message);
    expect(r.text).toContain('# overlay');
    expect(readImageTag(r.text, { format: 'kustomize', image: 'x' })).toEqual({ kind: 'found', current: { tag: 'v2' } });
  });

  it('says nothing changed when the file already has the version', () => {
    const r = setImageTag(KUSTOMIZATION, API, { tag: 'v1.4.0', digest: `sha256:${'a'.repeat(64)}` });
    expect(r).toMatchObject({ kind: 'edited', changed: false, text: KUSTOMIZATION });
  });

  it.each([
    ['no images list', 'resources: [a.yaml]\n', /no `images:` list/],
    ['no entry for the image', KUSTOMIZATION.replace('acme/api', 'acme/other'), /no `images:` entry named `registry.local\/acme\/api` \(it has `registry.local\/acme\/web`, `registry.local\/acme\/other`/],
  ])('refuses clearly when there is %s', (_what, text, message) => {
    const r = setImageTag(text, API, { tag: 'v1.5.0' });
    expect(r.kind).toBe('missing');
    if (r.kind === 'missing') expect(r.message).toMatch(message);
  });
});

describe('setImageTag: helm values', () => {
  const at: TagLocation = { format: 'helm', key: 'image.tag' };

  it('changes the value at the dotted key and nothing else, quotes kept', () => {
    const r = setImageTag(VALUES, at, { tag: 'v1.5.0' });
    if (r.kind !== 'edited') throw new Error(r.message);
    expect(r.before).toEqual({ tag: 'v1.4.0' });
    expect(r.text).toBe(VALUES.replace('"v1.4.0"', '"v1.5.0"'));
  });

  it('pins a digest as tag@digest', () => {
    const r = setImageTag(VALUES, at, { tag: 'v1.5.0', digest: DIGEST });
    if (r.kind !== 'edited') throw new Error(r.message);
    expect(readImageTag(r.text, at)).toEqual({ kind: 'found', current: { tag: 'v1.5.0', digest: DIGEST } });
  });

  it.each([
    ['image.version', /no value at `image.version` \(`image` is there, `version` is not\)/],
    ['image', /`image` is not a tag \(it is a mapping\)/],
  ])('refuses a key that holds no tag: %s', (key, message) => {
    const r = setImageTag(VALUES, { format: 'helm', key }, { tag: 'v1.5.0' });
    expect(r.kind).toBe('missing');
    if (r.kind === 'missing') expect(r.message).toMatch(message);
  });
});

describe('setImageTag: plain manifest', () => {
  const at: TagLocation = { format: 'manifest', workload: 'api', container: 'api' };

  it('changes the image of the named container only, keeping the repository the file uses', () => {
    const r = setImageTag(MANIFEST, at, { tag: 'v1.5.0', digest: DIGEST });
    if (r.kind !== 'edited') throw new Error(r.message);
    expect(r.before).toEqual({ tag: 'v1.4.0' });
    expect(changedLines(MANIFEST, r.text)).toEqual([`          image: mirror.local/acme/api:v1.5.0@${DIGEST}   # pinned by Deckhand`]);
  });

  it.each([
    [{ format: 'manifest', workload: 'api', container: 'web' } as const, /Deployment `api` has no container named `web`/],
    [{ format: 'manifest', workload: 'billing', container: 'billing' } as const, /no workload named `billing` \(it has Deployment `api`\)/],
  ])('refuses a missing container or workload', (where, message) => {
    const r = setImageTag(MANIFEST, where, { tag: 'v1.5.0' });
    expect(r.kind).toBe('missing');
    if (r.kind === 'missing') expect(r.message).toMatch(message);
  });
});
