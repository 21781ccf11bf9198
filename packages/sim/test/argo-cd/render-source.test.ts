import { describe, expect, it } from 'vitest';
import type { ApplicationSpec } from '../../src/kube/argo-cd/application-spec.ts';
import { renderTemplate } from '../../src/kube/argo-cd/helm-template.ts';
import { renderSource } from '../../src/kube/argo-cd/render-source.ts';

const deployment = (image: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: ${image}\n`;
const spec = (path: string, helm?: ApplicationSpec['source']['helm']): ApplicationSpec => ({ project: 'default', source: { repoURL: 'https://github.com/acme/c', path, ...(helm && { helm }) }, destination: { namespace: 'prod' } });
const imageOf = (result: ReturnType<typeof renderSource>) => {
  if (!result.ok) throw new Error(result.message);
  // spec.template.spec.containers[0].image, read without assuming the shape.
  let value: unknown = result.manifests[0];
  for (const key of ['spec', 'template', 'spec', 'containers', 0, 'image']) value = typeof value === 'object' && value !== null ? Reflect.get(value, key) : undefined;
  return value;
};

describe('renderSource', () => {
  it.each([
    ['newTag', 'registry.local/acme/web:v1', '- name: registry.local/acme/web\n    newTag: v2', 'registry.local/acme/web:v2'],
    ['newName', 'registry.local/acme/web:v1', '- name: registry.local/acme/web\n    newName: mirror.local/web', 'mirror.local/web:v1'],
    ['digest', 'registry.local/acme/web:v1', '- name: registry.local/acme/web\n    digest: sha256:abc', 'registry.local/acme/web@sha256:abc'],
    ['a registry port is not a tag', 'localhost:5000/web', '- name: localhost:5000/web\n    newTag: "7"', 'localhost:5000/web:7'],
    ['another image is untouched', 'registry.local/acme/api:v1', '- name: registry.local/acme/web\n    newTag: v2', 'registry.local/acme/api:v1'],
  ])('applies kustomize images: %s', (_case, image, images, expected) => {
    const files = new Map([['app/kustomization.yaml', `resources:\n  - deployment.yaml\nimages:\n  ${images}\n`], ['app/deployment.yaml', deployment(image)]]);
    expect(imageOf(renderSource(files, spec('app'), 'web'))).toBe(expected);
  });

  it('builds nested kustomizations and refuses what it does not simulate', () => {
    const files = new Map([
      ['base/kustomization.yaml', 'resources:\n  - deployment.yaml\n'], ['base/deployment.yaml', deployment('web:v1')],
      ['prod/kustomization.yaml', 'resources:\n  - ../base\nimages:\n  - name: web\n    newTag: v3\n'],
      ['patched/kustomization.yaml', 'resources:\n  - ../base\npatches:\n  - path: p.yaml\n'],
    ]);
    expect(imageOf(renderSource(files, spec('prod'), 'web'))).toBe('web:v3');
    expect(renderSource(files, spec('patched'), 'web')).toEqual({ ok: false, message: expect.stringContaining('kustomize: patches in "patched/kustomization.yaml" is not simulated') });
  });

  it('layers Helm values: chart values, value files, values, parameters', () => {
    const files = new Map([
      ['chart/Chart.yaml', 'apiVersion: v2\nname: web\nversion: 1.0.0\n'],
      ['chart/values.yaml', 'image:\n  repository: web\n  tag: v1\n'],
      ['chart/templates/deployment.yaml', deployment('"{{ .Values.image.repository }}:{{ .Values.image.tag }}"').replace('name: web\nspec', 'name: {{ .Release.Name }}\nspec')],
      ['env/prod.yaml', 'image:\n  tag: v2\n'],
    ]);
    expect(imageOf(renderSource(files, spec('chart', { valueFiles: ['../env/prod.yaml'] }), 'web'))).toBe('web:v2');
    expect(imageOf(renderSource(files, spec('chart', { valueFiles: ['../env/prod.yaml'], parameters: [{ name: 'image.tag', value: 'v3' }] }), 'web'))).toBe('web:v3');
    expect(renderSource(files, spec('chart', { valueFiles: ['missing.yaml'] }), 'web')).toEqual({ ok: false, message: expect.stringContaining('open chart/missing.yaml: no such file or directory') });
  });

  it('names a YAML syntax error and a missing path as the repo server would', () => {
    const files = new Map([['plain/a.yaml', 'kind: [oops\n']]);
    expect(renderSource(files, spec('plain'), 'x')).toEqual({ ok: false, message: expect.stringMatching(/^Failed to load target state: .*failed to unmarshal "plain\/a.yaml"/) });
    expect(renderSource(files, spec('nowhere'), 'x')).toEqual({ ok: false, message: expect.stringContaining('nowhere: app path does not exist') });
  });
});

describe('renderTemplate', () => {
  const scope = { Values: { image: { tag: 'v1' }, empty: '' }, Release: { Name: 'rel' } };
  it.each([
    ['{{ .Values.image.tag }}', 'v1'],
    ['{{ .Values.image.tag | quote }}', '"v1"'],
    ['{{ .Values.empty | default "x" }}', 'x'],
    ['{{ .Release.Name | upper }}', 'REL'],
    ['a\n  {{- .Values.image.tag }}', 'av1'],
    ['{{/* note */}}b', 'b'],
  ])('renders %j', (source, expected) => {
    expect(renderTemplate('t.yaml', source, scope)).toEqual({ ok: true, text: expected });
  });

  it('refuses control structures it does not simulate', () => {
    expect(renderTemplate('t.yaml', '{{ if .Values.x }}y{{ end }}', scope)).toEqual({ ok: false, message: expect.stringContaining('"if" is not simulated') });
  });
});
