import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeObject } from '../kube-types.ts';
import { isPlainObject } from '../kube-types.ts';
import type { ObjectStore } from '../object-store.ts';
import type { ResourceType } from '../resource-registry.ts';

export interface ArgoCdUi {
  /** Where Argo CD's web UI would be: Applications at `${url}/applications/<namespace>/<name>`. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Read-only HTML pages at the paths of Argo CD's web UI — `/applications` and `/applications/<ns>/<name>` (and the
 * older `/applications/<name>` for `argocd`) — so a card's "open in Argo CD" link shows the Application's sync,
 * health, operation, resources and history. Reloads every 2 s; every value is HTML-escaped.
 */
export async function startArgoCdUi(store: ObjectStore, applications: ResourceType, port = 0): Promise<ArgoCdUi> {
  const server = createServer((req, res) => {
    const segments = new URL(req.url ?? '/', 'http://ui').pathname.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
    const page = renderPage(store, applications, segments);
    res.writeHead(page.status, { 'content-type': 'text/html; charset=utf-8' });
    res.end(req.method === 'HEAD' ? undefined : page.html);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${isAddress(address) ? address.port : port}`;
  return {
    url,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function isAddress(value: unknown): value is AddressInfo {
  return isPlainObject(value) && typeof value.port === 'number';
}

function renderPage(store: ObjectStore, applications: ResourceType, segments: string[]): { status: number; html: string } {
  const [first, ns, name] = segments;
  if (first === undefined || (first === 'applications' && ns === undefined)) {
    const rows = store.list(applications).map((app) => `<tr><td><a href="/applications/${esc(app.metadata.namespace ?? '')}/${esc(app.metadata.name ?? '')}">${esc(app.metadata.name ?? '')}</a></td><td>${esc(app.metadata.namespace ?? '')}</td><td>${esc(at(app, 'status', 'sync', 'status'))}</td><td>${esc(at(app, 'status', 'health', 'status'))}</td><td><code>${esc(at(app, 'status', 'sync', 'revision').slice(0, 7))}</code></td></tr>`);
    return page(200, 'Applications', `<h1>Applications</h1><table><tr><th>Name</th><th>Namespace</th><th>Sync</th><th>Health</th><th>Revision</th></tr>${rows.join('')}</table>`);
  }
  if (first !== 'applications') return page(404, 'Not found', '<h1>404</h1>');
  const app = name === undefined ? store.get(applications, 'argocd', ns ?? '') : store.get(applications, ns, name);
  return app ? page(200, `${app.metadata.name ?? ''} · Applications`, appBody(app)) : page(404, 'Not found', `<h1>Application ${esc(name ?? ns ?? '')} not found</h1>`);
}

function appBody(app: KubeObject): string {
  const status = isPlainObject(app.status) ? app.status : {};
  const op = isPlainObject(status.operationState) ? status.operationState : {};
  const list = (value: unknown) => (Array.isArray(value) ? value.filter(isPlainObject) : []);
  const resources = list(status.resources).map((r) => `<tr><td>${esc(String(r.kind))}</td><td>${esc(String(r.namespace ?? ''))}</td><td>${esc(String(r.name))}</td><td>${esc(String(r.status))}</td><td>${esc(isPlainObject(r.health) ? `${String(r.health.status)} ${String(r.health.message ?? '')}` : '')}</td></tr>`).join('');
  const history = list(status.history).reverse().map((h) => `<tr><td>${esc(String(h.id))}</td><td><code>${esc(String(h.revision))}</code></td><td>${esc(String(h.deployedAt))}</td></tr>`).join('');
  const conditions = list(status.conditions).map((c) => `<li><b>${esc(String(c.type))}</b>: ${esc(String(c.message))}</li>`).join('');
  return `<h1>${esc(app.metadata.name ?? '')}</h1>`
    + `<p>Sync: <b>${esc(at(app, 'status', 'sync', 'status'))}</b> to <code>${esc(at(app, 'status', 'sync', 'revision'))}</code> · Health: <b>${esc(at(app, 'status', 'health', 'status'))}</b></p>`
    + `<p>Source: <code>${esc(at(app, 'spec', 'source', 'repoURL'))}</code> path <code>${esc(at(app, 'spec', 'source', 'path'))}</code> at <code>${esc(at(app, 'spec', 'source', 'targetRevision'))}</code></p>`
    + `<p>Last sync: <b>${esc(typeof op.phase === 'string' ? op.phase : 'none')}</b> ${esc(typeof op.message === 'string' ? op.message : '')} ${esc(typeof op.finishedAt === 'string' ? op.finishedAt : '')}</p>`
    + (conditions ? `<ul>${conditions}</ul>` : '')
    + `<h2>Resources</h2><table><tr><th>Kind</th><th>Namespace</th><th>Name</th><th>Sync</th><th>Health</th></tr>${resources}</table>`
    + `<h2>History</h2><table><tr><th>ID</th><th>Revision</th><th>Deployed</th></tr>${history}</table>`;
}

function at(obj: KubeObject, ...path: string[]): string {
  let value: unknown = obj;
  for (const key of path) value = isPlainObject(value) ? value[key] : undefined;
  return typeof value === 'string' ? value : '';
}

function page(status: number, title: string, body: string): { status: number; html: string } {
  const style = 'body{font:14px/1.5 system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left}';
  return { status, html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="2"><title>${esc(title)}</title><style>${style}</style></head><body>${body}<p style="color:#777;font-size:12px">Simulated Argo CD (Deckhand sandbox)</p></body></html>` };
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
