import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStripped, PLACEHOLDER, readManifests, readManifestTemplates, readTemplates, ROOT, type Manifest } from './chart.ts';

const manifests = readManifests();
const ofKind = (kind: string): Manifest[] => manifests.filter((m) => m.manifest.kind === kind).map((m) => m.manifest);
const only = (kind: string): Manifest => {
  const found = ofKind(kind);
  expect(found, kind).toHaveLength(1);
  return found[0] as Manifest;
};

interface Container {
  name: string;
  securityContext?: Record<string, unknown>;
  livenessProbe?: { httpGet?: { path: string } };
  readinessProbe?: { httpGet?: { path: string } };
  resources?: unknown;
  args?: unknown;
}
interface PodSpec {
  securityContext?: Record<string, unknown>;
  containers: Container[];
  automountServiceAccountToken?: boolean;
}
const podSpecOf = (m: Manifest): PodSpec => (m.spec?.template as { spec: PodSpec }).spec;

describe('every template, with its template actions stripped', () => {
  it.each([...readManifestTemplates()])('%s is well-formed YAML with apiVersion, kind and metadata.name', (name, text) => {
    const docs = parseStripped(name, text);
    expect(docs.length).toBeGreaterThan(0);
    for (const doc of docs) {
      expect(typeof doc.apiVersion, name).toBe('string');
      expect(typeof doc.kind, name).toBe('string');
      expect(doc.metadata?.name, name).toBeDefined();
    }
  });

  it.each([...readTemplates()])('%s opens and closes its blocks in balance', (name, text) => {
    const withoutComments = text.replace(/\{\{-?\s*\/\*[\s\S]*?\*\/\s*-?\}\}/g, '');
    const opened = withoutComments.match(/\{\{-?\s*(if|range|with|define|block)\b/g)?.length ?? 0;
    const closed = withoutComments.match(/\{\{-?\s*end\s*-?\}\}/g)?.length ?? 0;
    expect(closed, name).toBe(opened);
  });

  it('covers every object the chart is meant to make', () => {
    expect(new Set(manifests.map((m) => m.manifest.kind))).toEqual(new Set([
      'ConfigMap', 'Deployment', 'Ingress', 'NetworkPolicy', 'PodDisruptionBudget', 'Role', 'RoleBinding', 'Service',
      'ServiceAccount', 'StatefulSet',
    ]));
  });

  it('never asks for cluster-wide rights', () => {
    for (const [name, text] of readTemplates()) expect(text, name).not.toMatch(/kind:\s*Cluster(Role|RoleBinding)/);
  });
});

describe('labels', () => {
  it('_helpers.tpl defines the standard app.kubernetes.io labels', () => {
    const helpers = readTemplates().get('_helpers.tpl') ?? '';
    const labels = /define "deckhand\.labels"[\s\S]*?\{\{- end \}\}/.exec(helpers)?.[0] ?? '';
    const selector = /define "deckhand\.selectorLabels"[\s\S]*?\{\{- end \}\}/.exec(helpers)?.[0] ?? '';
    for (const key of ['helm.sh/chart:', 'app.kubernetes.io/version:', 'app.kubernetes.io/managed-by:', 'include "deckhand.selectorLabels"']) {
      expect(labels).toContain(key);
    }
    expect(selector).toContain('app.kubernetes.io/name:');
    expect(selector).toContain('app.kubernetes.io/instance:');
  });

  it('every object carries them in metadata.labels', () => {
    for (const [name, text] of readManifestTemplates()) {
      const docs = text.split(/^---$/m).filter((d) => /^kind:/m.test(d));
      for (const doc of docs) {
        expect(doc, name).toMatch(/^metadata:\n(?: {2}.*\n)*? {2}labels:\n {4}\{\{- include "deckhand\.labels" [$.] \| nindent 4 \}\}/m);
      }
    }
  });

  it('pod templates carry them too, and selectors use the immutable subset', () => {
    for (const name of ['deployment.yaml', 'redis-statefulset.yaml']) {
      const text = readTemplates().get(name) ?? '';
      expect(text, name).toMatch(/ {6}labels:\n {8}\{\{- include "deckhand\.labels" \. \| nindent 8 \}\}/);
      expect(text, name).toMatch(/matchLabels:\n {6}\{\{- include "deckhand\.(server|redis)SelectorLabels" \. \| nindent 6 \}\}/);
    }
  });
});

/** The verbs Deckhand uses, per API group and resource: the issue's list, and helm/deckhand/README.md's. */
const ALLOWED: Record<string, string[]> = {
  'apps/deployments': ['get', 'list', 'watch', 'patch', 'create', 'delete'],
  'apps/replicasets': ['get', 'list'],
  '/pods': ['list'],
  '/events': ['get', 'list', 'watch'],
  '/services': ['get', 'create', 'patch', 'delete'],
  'gateway.networking.k8s.io/httproutes': ['get', 'update', 'patch'],
  'networking.istio.io/virtualservices': ['get', 'update'],
  'networking.istio.io/destinationrules': ['get', 'update'],
  'argoproj.io/rollouts': ['get', 'update', 'patch'],
  'argoproj.io/rollouts/status': ['patch'],
  'argoproj.io/analysisruns': ['list'],
  'argoproj.io/applications': ['get', 'patch'],
};
/** The delivery engines' grants, each behind its own switch (rbac.istio, rbac.argoRollouts, rbac.argoCd). */
const ENGINES: Record<string, string[]> = {
  istio: ['networking.istio.io/virtualservices:get', 'networking.istio.io/virtualservices:update', 'networking.istio.io/destinationrules:get', 'networking.istio.io/destinationrules:update'],
  argoRollouts: ['argoproj.io/rollouts:get', 'argoproj.io/rollouts:update', 'argoproj.io/rollouts:patch', 'argoproj.io/rollouts/status:patch', 'argoproj.io/analysisruns:list'],
  argoCd: ['argoproj.io/applications:get', 'argoproj.io/applications:patch'],
};
/** Canary and blue-green (src/kube/workloads-client.ts): only with rbac.progressiveDelivery. */
const PROGRESSIVE = new Set([
  'apps/deployments:create', 'apps/deployments:delete',
  '/services:get', '/services:create', '/services:patch', '/services:delete',
  'gateway.networking.k8s.io/httproutes:get', 'gateway.networking.k8s.io/httproutes:update', 'gateway.networking.k8s.io/httproutes:patch',
]);

interface Rule { apiGroups: string[]; resources: string[]; verbs: string[] }
const grants = (rules: Rule[]): string[] => rules.flatMap((r) => r.apiGroups.flatMap((g) => r.resources.flatMap((res) => r.verbs.map((v) => `${g}/${res}:${v}`))));

describe('RBAC', () => {
  const role = only('Role');

  it('is namespaced per target namespace and bound to the chart ServiceAccount', () => {
    const rbac = readTemplates().get('rbac.yaml') ?? '';
    expect(rbac).toContain('{{- range $namespace := .Values.rbac.namespaces }}');
    expect(role.metadata?.namespace).toBe(PLACEHOLDER);
    const binding = only('RoleBinding') as Manifest & { roleRef: { kind: string }; subjects: { kind: string }[] };
    expect(binding.roleRef.kind).toBe('Role');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: PLACEHOLDER, namespace: PLACEHOLDER }]);
  });

  it('grants only the verbs and resources Deckhand uses — no wildcards, no secrets', () => {
    const rules = role.rules as Rule[];
    for (const g of grants(rules)) {
      const [target, verb] = g.split(':') as [string, string];
      expect(ALLOWED[target] ?? [], g).toContain(verb);
    }
    expect(JSON.stringify(rules)).not.toContain('*');
  });

  it('grants exactly the rolling set by default, and the canary/blue-green set only behind rbac.progressiveDelivery', () => {
    const text = readTemplates().get('rbac.yaml') ?? '';
    const [base, progressive] = text.split('{{- if $.Values.rbac.progressiveDelivery }}') as [string, string];
    const baseGrants = grants((parseStripped('rbac.yaml', `${base}\n`)[0]?.rules ?? []) as Rule[]);
    expect(new Set(baseGrants)).toEqual(new Set([
      'apps/deployments:get', 'apps/deployments:list', 'apps/deployments:watch', 'apps/deployments:patch',
      'apps/replicasets:get', 'apps/replicasets:list', '/pods:list', '/events:get', '/events:list', '/events:watch',
    ]));
    const engineGrants = new Set(Object.values(ENGINES).flat());
    const all = new Set(grants(role.rules as Rule[]));
    expect(new Set([...all].filter((g) => !baseGrants.includes(g) && !engineGrants.has(g)))).toEqual(PROGRESSIVE);
    expect(progressive.indexOf('{{- end }}')).toBeGreaterThan(progressive.indexOf('httproutes'));
  });

  it.each(Object.entries(ENGINES))('grants what the %s engine needs only behind its rbac switch', (engine, expected) => {
    const text = readTemplates().get('rbac.yaml') ?? '';
    const start = text.indexOf(`{{- if $.Values.rbac.${engine} }}`);
    expect(start).toBeGreaterThan(0);
    const block = text.slice(start, text.indexOf('{{- end }}', start)).split('\n').slice(1).join('\n');
    expect(new Set(grants((parseStripped('rbac.yaml', `rules:\n${block}\n`)[0]?.rules ?? []) as Rule[]))).toEqual(new Set(expected));
  });
});

const VERB: Record<string, string> = { read: 'get', get: 'get', list: 'list', patch: 'patch', create: 'create', delete: 'delete', replace: 'update' };
const RESOURCE: Record<string, string> = {
  Deployment: 'apps/deployments', ReplicaSet: 'apps/replicasets', Pod: '/pods', Service: '/services', Event: '/events',
};

/**
 * What src/kube (client-node's only home) asks the API server for, read from its calls: `apps.patchNamespacedDeployment`
 * is `apps/deployments:patch`; custom objects are the Gateway API's HTTPRoutes; a watch needs list and watch.
 */
function grantsUsedByKubeClient(): { grant: string; call: string }[] {
  const dir = join(ROOT, 'src', 'kube');
  const source = readdirSync(dir).filter((n) => n.endsWith('.ts')).map((n) => readFileSync(join(dir, n), 'utf8')).join('\n');
  const used: { grant: string; call: string }[] = [];
  for (const m of source.matchAll(/\.(read|get|list|patch|create|delete|replace)Namespaced(\w+?)(Status)?\(/g)) {
    const [call, verb = '', kind = '', status] = m;
    if (kind === 'CustomObject') continue;
    used.push({ grant: `${RESOURCE[kind] ?? `unknown kind ${kind}`}${status ? '/status' : ''}:${VERB[verb] ?? verb}`, call });
  }
  // Custom objects: each file names its kinds in constants (`{ group, version, plural }`) spread into the call; a
  // call spreading a variable may touch any kind of its file.
  for (const file of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
    const text = readFileSync(join(dir, file), 'utf8');
    const kinds = new Map([...text.matchAll(/const (\w+) = \{ group: '([^']+)', version: '[^']+', plural: '([^']+)' \}/g)].map((k) => [k[1] ?? '', `${k[2]}/${k[3]}`]));
    for (const m of text.matchAll(/\.(get|list|patch|create|delete|replace)NamespacedCustomObject(Status)?\(\{ \.\.\.(\w+)/g)) {
      const [call, verb = '', status, spread = ''] = m;
      const resources = kinds.has(spread) ? [kinds.get(spread) ?? ''] : [...kinds.values()];
      expect(resources.length, `${file}: ${call}`).toBeGreaterThan(0);
      for (const r of resources) used.push({ grant: `${r}${status ? '/status' : ''}:${VERB[verb] ?? verb}`, call: `${file}: ${call}` });
    }
  }
  for (const m of source.matchAll(/watcher\.watch\(\s*`\/apis\/apps\/v1\/namespaces\/\$\{\w+\}\/(\w+)`/g)) {
    used.push({ grant: `apps/${m[1]}:watch`, call: m[0] }, { grant: `apps/${m[1]}:list`, call: m[0] });
  }
  return used;
}

describe('RBAC against the code', () => {
  it('grants every call src/kube makes', () => {
    const used = grantsUsedByKubeClient();
    expect(used.length).toBeGreaterThan(8);
    const granted = new Set(grants(only('Role').rules as Rule[]));
    expect(used.filter((u) => !granted.has(u.grant)).map((u) => `${u.grant} (${u.call})`)).toEqual([]);
  });
});

describe('Deployment', () => {
  const deployment = only('Deployment');
  const pod = podSpecOf(deployment);
  const deckhand = pod.containers.find((c) => c.name === 'deckhand') as Container;

  it('runs as non-root with the RuntimeDefault seccomp profile', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
  });

  it.each(['deckhand', 'opa'])('container %s: read-only root, no privilege escalation, every capability dropped', (name) => {
    const c = pod.containers.find((x) => x.name === name) as Container;
    expect(c.securityContext).toEqual({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
  });

  it('probes /healthz for liveness and /readyz for readiness', () => {
    expect(deckhand.livenessProbe?.httpGet?.path).toBe('/healthz');
    expect(deckhand.readinessProbe?.httpGet?.path).toBe('/readyz');
  });

  it('sets resources from values, and a writable /tmp on the read-only root', () => {
    const text = readTemplates().get('deployment.yaml') ?? '';
    expect(text).toMatch(/resources:\n {12}\{\{- toYaml \.Values\.resources \| nindent 12 \}\}/);
    expect(text).toMatch(/mountPath: \/tmp/);
  });

  it('takes secrets only from an existing Secret', () => {
    const text = readTemplates().get('deployment.yaml') ?? '';
    expect(text).toMatch(/envFrom:\n {12}- secretRef:\n {16}name: \{\{ \.Values\.existingSecret \}\}/);
    for (const [name, t] of readTemplates()) expect(t, name).not.toMatch(/kind:\s*Secret\b/);
  });

  it('mounts deckhand.yaml and the policies from the ConfigMaps, and the OPA sidecar reads the same policies', () => {
    const text = readTemplates().get('deployment.yaml') ?? '';
    expect(text).toContain('value: /etc/deckhand/deckhand.yaml');
    expect(text).toContain('mountPath: /app/policies');
    expect(text).toContain('value: http://localhost:8181');
    expect(readTemplates().get('configmap-policies.yaml')).toContain('.Files.Glob "files/policies/*"');
  });
});

describe('bundled Redis', () => {
  const redis = only('StatefulSet');
  const container = podSpecOf(redis).containers[0] as Container;

  it('persists with the append-only file and never evicts BullMQ keys', () => {
    const args = (container.args as string[]).join(' ');
    expect(args).toContain('--appendonly yes');
    expect(args).toContain('--maxmemory-policy noeviction');
    expect(redis.spec?.volumeClaimTemplates).toBeDefined();
  });

  it('is hardened like Deckhand and has no service account token', () => {
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(podSpecOf(redis).automountServiceAccountToken).toBe(false);
  });
});
