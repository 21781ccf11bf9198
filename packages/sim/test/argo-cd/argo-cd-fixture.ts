import { startSimGitHub, type SimGitHub } from '../../src/github/index.ts';
import { startSimCluster, type SimCluster } from '../../src/kube/index.ts';

/** An object as the API takes it (the Applications a sandbox starts with). */
export interface KubeObjectLike { metadata: { name?: string; namespace?: string }; [key: string]: unknown }

export const CONFIG_REPO = 'acme/deploy-config';
const APPS = '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications';

export interface AppStatus {
  sync?: { status?: string; revision?: string };
  health?: { status?: string };
  operationState?: { phase?: string; message?: string; operation?: { sync?: { revision?: string }; initiatedBy?: { automated?: boolean } }; syncResult?: { revision?: string; resources?: Array<{ kind: string; name: string; status: string; message: string }> } };
  history?: Array<{ id: number; revision: string }>;
  conditions?: Array<{ type: string; message: string }>;
  summary?: { images?: string[] };
  sourceType?: string;
  resources?: Array<{ kind: string; name: string; status: string; health?: { status: string } }>;
}
export interface AppObject { metadata: { name: string; annotations?: Record<string, string> }; status?: AppStatus; operation?: unknown }

/** The simulated GitHub and a cluster whose Argo CD reads it, driven over HTTP only. */
export async function startArgoCdWorld(o: { readyDelayMs?: number; applications?: KubeObjectLike[] } = {}) {
  // The sandbox's order: the cluster first, the simulated GitHub next, then Argo CD reading it.
  const cluster: SimCluster = await startSimCluster({ readyDelayMs: o.readyDelayMs ?? 20 });
  const github: SimGitHub = await startSimGitHub();
  const { uiUrl } = await cluster.startArgoCd({ git: github.git, pollIntervalMs: 100, ...(o.applications && { applications: o.applications }) });

  async function kube<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: T }> {
    const res = await fetch(`${cluster.url}${path}`, { method, headers: { 'content-type': contentType }, ...(body !== undefined && { body: JSON.stringify(body) }) });
    return { status: res.status, body: (await res.json()) as T };
  }

  async function gh<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${github.url}/repos/${CONFIG_REPO}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body !== undefined && { body: JSON.stringify(body) }) });
    return { status: res.status, body: (await res.json()) as T };
  }

  /** A commit through `PUT …/contents`, as Deckhand (or a person with a token) makes one; answers its sha. */
  async function commitFile(path: string, edit: (text: string) => string, message = `edit ${path}`): Promise<string> {
    const current = await gh<{ content: string; sha: string }>('GET', `/contents/${path}`);
    const text = Buffer.from(current.body.content, 'base64').toString('utf8');
    const put = await gh<{ commit: { sha: string } }>('PUT', `/contents/${path}`, { message, content: Buffer.from(edit(text)).toString('base64'), sha: current.body.sha });
    if (put.status !== 200) throw new Error(`commit failed: ${put.status}`);
    return put.body.commit.sha;
  }

  const application = (name: string, path: string, extra: { selfHeal?: boolean; helm?: Record<string, unknown>; namespace?: string } = {}) => ({
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Application',
    metadata: { name, namespace: 'argocd' },
    spec: {
      project: 'default',
      source: { repoURL: `${github.url}/${CONFIG_REPO}.git`, targetRevision: 'main', path, ...(extra.helm && { helm: extra.helm }) },
      destination: { server: 'https://kubernetes.default.svc', namespace: extra.namespace ?? 'production' },
      syncPolicy: { automated: { prune: true, selfHeal: extra.selfHeal ?? false }, syncOptions: ['CreateNamespace=true'] },
    },
  });

  const createApp = (app: unknown) => kube<AppObject & { message?: string }>('POST', APPS, app);
  const getApp = async (name: string) => (await kube<AppObject>('GET', `${APPS}/${name}`)).body;

  /** Polls the Application until `check` holds, answering it (or failing with its last status). */
  async function waitForApp(name: string, check: (app: AppObject) => boolean, timeoutMs = 8000): Promise<AppObject> {
    const deadline = Date.now() + timeoutMs;
    let last: AppObject | undefined;
    while (Date.now() < deadline) {
      last = await getApp(name);
      if (check(last)) return last;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`Application ${name} never got there; last status: ${JSON.stringify(last?.status, null, 1)}`);
  }

  const deployment = (ns: string, name: string) => kube<{ metadata: { annotations?: Record<string, string> }; spec: { replicas: number; template: { spec: { containers: Array<{ image: string }> } } } }>('GET', `/apis/apps/v1/namespaces/${ns}/deployments/${name}`);
  const mainSha = async () => (await gh<{ commit: { sha: string } }>('GET', '/branches/main')).body.commit.sha;

  return {
    github, cluster, uiUrl, kube, gh, commitFile, application, createApp, getApp, waitForApp, deployment, mainSha,
    async close() {
      await cluster.close();
      await github.close();
    },
  };
}

export const settled = (revision: string) => (app: AppObject) =>
  app.status?.sync?.status === 'Synced' && app.status.sync.revision === revision && app.status.health?.status === 'Healthy';
