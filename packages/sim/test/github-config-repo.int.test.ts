import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimGitHub, type SimGitHub } from '../src/github/index.ts';

const REPO = 'acme/deploy-config';
const KUSTOMIZATION = 'apps/catalog/production/kustomization.yaml';

/** Git's blob id, computed here independently of the sim. */
const gitBlobSha = (text: string) => createHash('sha1').update(`blob ${Buffer.byteLength(text)}\0${text}`).digest('hex');
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

interface FileBody { type: string; encoding: string; content: string; sha: string; path: string; name: string; size: number }
interface WriteBody { content: { sha: string; path: string }; commit: { sha: string; html_url: string; parents: { sha: string }[]; author: { name: string }; message: string } }
interface PullBody { number: number; html_url: string; state: string; merged: boolean; mergeable: boolean | null; mergeable_state: string; head: { ref: string; sha: string }; base: { ref: string; sha: string }; merge_commit_sha: string | null }

describe('the simulated GitHub serves a config repository through the contents, git and pulls API', () => {
  let sim: SimGitHub;
  const api = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${sim.url}/repos/${REPO}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body !== undefined && { body: JSON.stringify(body) }) });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  const readFile = async (path: string, ref?: string) => {
    const res = await api<FileBody>('GET', `/contents/${path}${ref ? `?ref=${ref}` : ''}`);
    return { ...res, text: Buffer.from(res.body.content ?? '', 'base64').toString('utf8') };
  };
  const putFile = (path: string, text: string, o: { sha?: string; branch?: string; author?: string; message?: string } = {}) =>
    api<WriteBody & { message?: string }>('PUT', `/contents/${path}`, {
      message: o.message ?? `update ${path}`, content: b64(text),
      ...(o.sha !== undefined && { sha: o.sha }), ...(o.branch !== undefined && { branch: o.branch }),
      ...(o.author !== undefined && { committer: { name: o.author, email: `${o.author}@example.com` } }),
    });
  const newBranch = async (name: string) => {
    const main = await api<{ object: { sha: string } }>('GET', '/git/ref/heads/main');
    return api<{ ref: string; object: { sha: string } }>('POST', '/git/refs', { ref: `refs/heads/${name}`, sha: main.body.object.sha });
  };

  beforeEach(async () => {
    sim = await startSimGitHub();
  });
  afterEach(async () => {
    await sim.close();
  });

  it('answers a file base64-encoded with its git blob sha, a directory as a listing, and 404 for a missing path', async () => {
    const file = await readFile(KUSTOMIZATION);
    const dir = await api<{ name: string; type: string }[]>('GET', '/contents/apps/catalog/production');
    const missing = await api<{ message: string }>('GET', '/contents/apps/nope.yaml');

    expect(file.status).toBe(200);
    expect(file.body).toMatchObject({ type: 'file', encoding: 'base64', path: KUSTOMIZATION, name: 'kustomization.yaml' });
    expect(file.text).toContain('newTag: v1.0.0');
    expect(file.body.sha).toBe(gitBlobSha(file.text));
    expect(file.body.size).toBe(Buffer.byteLength(file.text));
    expect(dir.body.map((e) => [e.name, e.type])).toEqual([['deployment.yaml', 'file'], ['kustomization.yaml', 'file']]);
    expect(missing.status).toBe(404);
  });

  it('updates a file only with the sha that was read: 422 without one, 409 with a stale one, then a new commit on the branch', async () => {
    const before = await readFile(KUSTOMIZATION);
    const tip = await api<{ commit: { sha: string } }>('GET', '/branches/main');
    const changed = before.text.replace('v1.0.0', 'v1.1.0');

    const withoutSha = await putFile(KUSTOMIZATION, changed);
    const stale = await putFile(KUSTOMIZATION, changed, { sha: gitBlobSha('something else') });
    const ok = await putFile(KUSTOMIZATION, changed, { sha: before.body.sha, author: 'deckhand', message: 'deploy catalog v1.1.0' });
    const after = await readFile(KUSTOMIZATION);
    const commit = await api<{ sha: string; parents: { sha: string }[]; files: { filename: string; status: string; additions: number; deletions: number }[]; commit: { message: string; author: { name: string } } }>('GET', `/commits/${ok.body.commit.sha}`);
    const branch = await api<{ commit: { sha: string } }>('GET', '/branches/main');

    expect(withoutSha.status).toBe(422);
    expect(withoutSha.body.message).toContain('"sha" wasn\'t supplied');
    expect(stale.status).toBe(409);
    expect(stale.body.message).toBe(`${KUSTOMIZATION} does not match ${gitBlobSha('something else')}`);
    expect(ok.status).toBe(200);
    expect(ok.body.content.sha).toBe(gitBlobSha(changed));
    expect(ok.body.commit.parents.map((p) => p.sha)).toEqual([tip.body.commit.sha]);
    expect(ok.body.commit.html_url).toBe(`${sim.url}/_html/${REPO}/commit/${ok.body.commit.sha}`);
    expect(after.text).toBe(changed);
    expect(branch.body.commit.sha).toBe(ok.body.commit.sha);
    expect(commit.body.parents.map((p) => p.sha)).toEqual([tip.body.commit.sha]);
    expect(commit.body.commit).toMatchObject({ message: 'deploy catalog v1.1.0', author: { name: 'deckhand' } });
    expect(commit.body.files).toEqual([expect.objectContaining({ filename: KUSTOMIZATION, status: 'modified', additions: 1, deletions: 1 })]);
    // The old revision still reads as it was.
    expect((await readFile(KUSTOMIZATION, tip.body.commit.sha)).text).toBe(before.text);
  });

  it('creates a new file with 201, and answers 404 for a branch that does not exist', async () => {
    const created = await putFile('apps/new/deployment.yaml', 'kind: Deployment\n');
    const noBranch = await putFile('apps/new/other.yaml', 'x: 1\n', { branch: 'nope' });

    expect(created.status).toBe(201);
    expect((await readFile('apps/new/deployment.yaml')).text).toBe('kind: Deployment\n');
    expect(noBranch.status).toBe(404);
  });

  it('creates a branch through git/refs once (422 when it exists) and serves it as a ref and a branch', async () => {
    const first = await newBranch('deploy/catalog-v1.1.0');
    const again = await newBranch('deploy/catalog-v1.1.0');
    const ref = await api<{ ref: string }>('GET', '/git/ref/heads/deploy/catalog-v1.1.0');
    const missing = await api('GET', '/git/ref/heads/nope');

    expect(first.status).toBe(201);
    expect(first.body.ref).toBe('refs/heads/deploy/catalog-v1.1.0');
    expect(again.status).toBe(422);
    expect((again.body as unknown as { message: string }).message).toBe('Reference already exists');
    expect(ref.status).toBe(200);
    expect(missing.status).toBe(404);
  });

  it('merges a pull request: mergeable once computed, 409 for a stale head sha, then merged onto the base', async () => {
    await newBranch('bump');
    const file = await readFile(KUSTOMIZATION);
    const pushed = await putFile(KUSTOMIZATION, file.text.replace('v1.0.0', 'v1.2.0'), { sha: file.body.sha, branch: 'bump' });
    // Someone else changes another file on main meanwhile: no conflict.
    const other = await readFile('apps/inventory/production/deployment.yaml');
    await putFile('apps/inventory/production/deployment.yaml', other.text.replace('replicas: 2', 'replicas: 4'), { sha: other.body.sha, author: 'alice' });

    const created = await api<PullBody>('POST', '/pulls', { title: 'deploy catalog v1.2.0', head: 'acme:bump', base: 'main', body: 'by Deckhand' });
    const read = await api<PullBody>('GET', `/pulls/${created.body.number}`);
    const stale = await api<{ message: string }>('PUT', `/pulls/${created.body.number}/merge`, { sha: file.body.sha, merge_method: 'squash' });
    const merged = await api<{ merged: boolean; sha: string }>('PUT', `/pulls/${created.body.number}/merge`, { sha: pushed.body.commit.sha, merge_method: 'squash' });
    const after = await api<PullBody>('GET', `/pulls/${created.body.number}`);
    const closed = await api<PullBody[]>('GET', '/pulls?state=closed');
    const page = await fetch(created.body.html_url);

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ state: 'open', mergeable: null, head: { ref: 'bump', sha: pushed.body.commit.sha }, base: { ref: 'main' } });
    expect(read.body).toMatchObject({ mergeable: true, mergeable_state: 'clean' });
    expect(stale.status).toBe(409);
    expect(merged.status).toBe(200);
    expect(merged.body.merged).toBe(true);
    expect(after.body).toMatchObject({ state: 'closed', merged: true, merge_commit_sha: merged.body.sha });
    expect((await readFile(KUSTOMIZATION)).text).toContain('newTag: v1.2.0');
    expect((await readFile('apps/inventory/production/deployment.yaml')).text).toContain('replicas: 4');
    expect(closed.body.map((p) => p.number)).toEqual([created.body.number]);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('deploy catalog v1.2.0');
  });

  it('refuses to merge with 405 when head and base changed the same file since they diverged', async () => {
    await newBranch('bump');
    const file = await readFile(KUSTOMIZATION);
    await putFile(KUSTOMIZATION, file.text.replace('v1.0.0', 'v1.2.0'), { sha: file.body.sha, branch: 'bump' });
    // A person edits the same file on main.
    sim.commit(REPO, { files: { [KUSTOMIZATION]: file.text.replace('v1.0.0', 'v1.0.1') }, message: 'hotfix catalog', author: 'alice' });

    const created = await api<PullBody>('POST', '/pulls', { title: 'deploy catalog v1.2.0', head: 'bump', base: 'main' });
    const read = await api<PullBody>('GET', `/pulls/${created.body.number}`);
    const merge = await api<{ message: string }>('PUT', `/pulls/${created.body.number}/merge`, {});

    expect(read.body).toMatchObject({ state: 'open', mergeable: false, mergeable_state: 'dirty' });
    expect(merge.status).toBe(405);
    expect(merge.body.message).toBe('Pull Request is not mergeable');
    expect((await readFile(KUSTOMIZATION)).text).toContain('newTag: v1.0.1');
  });

  it('hands the simulated Argo CD the files at a revision through its git reader', async () => {
    const main = await api<{ commit: { sha: string } }>('GET', '/branches/main');
    const checkout = await sim.git.checkout(`${sim.url}/${REPO}.git`, 'HEAD');
    const unknown = await sim.git.checkout(`https://github.com/${REPO}`, 'no-such-branch');

    expect(checkout.ok && checkout.sha).toBe(main.body.commit.sha);
    expect(checkout.ok && checkout.files.get(KUSTOMIZATION)).toContain('newTag: v1.0.0');
    expect(unknown).toEqual({ ok: false, message: "Unable to resolve 'no-such-branch' to a commit SHA" });
  });
});
