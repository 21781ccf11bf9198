import { createServer } from 'node:http';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfigRepo, startSimGitHub, type SimGitHub } from '@deckhand/sim/github';
import { createConfigRepository } from '../../src/github/index.ts';
import type { ConfigRepository, FileEdit, RepoFile } from '../../src/github/index.ts';
import { readImageTag, setImageTag, type TagLocation } from '../../src/rollout/gitops/set-image-tag.ts';

const REPO = { owner: 'acme', repo: 'deploy-config' };
const PATH = 'apps/catalog/production/kustomization.yaml';
const AT: TagLocation = { format: 'kustomize', image: 'registry.local/acme/catalog' };

/** The edit the GitOps driver makes: the tag, unless someone else changed it since `expected`. */
function setTag(to: string, expected: string) {
  return (file: RepoFile): FileEdit => {
    const r = readImageTag(file.text, AT);
    if (r.kind !== 'found') return { kind: 'stop', reason: r.message };
    if (r.current.tag === to) return { kind: 'unchanged' };
    if (r.current.tag !== expected) return { kind: 'stop', reason: `the tag is ${r.current.tag} now` };
    const e = setImageTag(file.text, AT, { tag: to });
    return e.kind === 'edited' ? { kind: 'write', text: e.text } : { kind: 'stop', reason: e.message };
  };
}

let gh: SimGitHub;
let repo: ConfigRepository;

beforeAll(async () => {
  gh = await startSimGitHub({ repos: [defaultConfigRepo()] });
  repo = createConfigRepository({ baseUrl: gh.url });
});
afterAll(async () => { await gh.close(); });

async function tagOnMain(): Promise<string | undefined> {
  const r = readImageTag((await repo.readFile(REPO, PATH, 'main')).text, AT);
  return r.kind === 'found' ? r.current.tag : undefined;
}

describe('config repository over the GitHub contents API (Octokit → simulated GitHub)', () => {
  it('commits the edit with the blob sha it read, and finds the commit again by the file\'s history', async () => {
    const u = await repo.updateFile(REPO, { path: PATH, branch: 'main', message: 'deploy(catalog): v1.1.0\n\nDeckhand-Deploy: 7', edit: setTag('v1.1.0', 'v1.0.0') });
    expect(u).toMatchObject({ kind: 'committed', rebased: 0 });
    if (u.kind !== 'committed') return;
    expect(u.commit.url).toContain(u.commit.sha);
    expect(await tagOnMain()).toBe('v1.1.0');
    const history = await repo.listFileCommits(REPO, 'main', PATH, 5);
    expect(history[0]).toMatchObject({ sha: u.commit.sha });
    expect(history[0]?.message).toContain('Deckhand-Deploy: 7');
    expect(await repo.branchHead(REPO, 'main')).toBe(u.commit.sha);
  });

  it('re-applies the tag over a person\'s commit that landed between the read and the write (409), keeping their change', async () => {
    let calls = 0;
    const inner = setTag('v1.2.0', 'v1.1.0');
    const u = await repo.updateFile(REPO, {
      path: PATH, branch: 'main', message: 'deploy(catalog): v1.2.0',
      edit: (file) => {
        // The person commits right after Deckhand read the file: Deckhand's write names a blob that is no longer there.
        if (calls++ === 0) gh.commit('acme/deploy-config', { files: { [PATH]: file.text.replace('resources:', '# reviewed by carol\nresources:') }, message: 'docs: note the review', author: 'carol' });
        return inner(file);
      },
    });
    expect(u).toMatchObject({ kind: 'committed', rebased: 1 });
    expect(calls).toBe(2);
    const text = (await repo.readFile(REPO, PATH, 'main')).text;
    expect(text).toContain('# reviewed by carol');
    expect(await tagOnMain()).toBe('v1.2.0');
  });

  it('stops, writing nothing, when the person changed the tag itself', async () => {
    const before = await repo.branchHead(REPO, 'main');
    let calls = 0;
    const inner = setTag('v1.3.0', 'v1.2.0');
    const u = await repo.updateFile(REPO, {
      path: PATH, branch: 'main', message: 'deploy(catalog): v1.3.0',
      edit: (file) => {
        if (calls++ === 0) gh.commit('acme/deploy-config', { files: { [PATH]: file.text.replace('newTag: v1.2.0', 'newTag: v1.2.1-hotfix') }, message: 'hotfix', author: 'carol' });
        return inner(file);
      },
    });
    expect(u).toMatchObject({ kind: 'stopped', reason: 'the tag is v1.2.1-hotfix now' });
    expect(await tagOnMain()).toBe('v1.2.1-hotfix');
    expect(await repo.branchHead(REPO, 'main')).not.toBe(before);
    expect((await repo.listFileCommits(REPO, 'main', PATH, 1))[0]?.message).toBe('hotfix');
  });

  it('opens one pull request however often asked, and merges it only at the head it saw (409 otherwise)', async () => {
    const head = 'deckhand/catalog-production-9-deploy';
    expect(await repo.createBranch(REPO, head, await repo.branchHead(REPO, 'main'))).toBe('created');
    expect(await repo.createBranch(REPO, head, await repo.branchHead(REPO, 'main'))).toBe('exists');
    const u = await repo.updateFile(REPO, { path: PATH, branch: head, message: 'deploy(catalog): v1.4.0', edit: setTag('v1.4.0', 'v1.2.1-hotfix') });
    expect(u.kind).toBe('committed');
    const input = { head, base: 'main', title: 'deploy(catalog): v1.4.0', body: 'Deckhand-Deploy: 9\nDeckhand-Action: deploy' };
    const pr = await repo.openPullRequest(REPO, input);
    expect(await repo.openPullRequest(REPO, input)).toMatchObject({ number: pr.number, state: 'open', merged: false });
    const stale = await repo.mergePullRequest(REPO, pr.number, { sha: '0'.repeat(40), title: input.title, message: input.body });
    expect(stale.kind).toBe('head_changed');
    const merged = await repo.mergePullRequest(REPO, pr.number, { sha: pr.headSha, title: input.title, message: input.body });
    expect(merged.kind).toBe('merged');
    if (merged.kind !== 'merged') return;
    expect(merged.commit.message).toContain('Deckhand-Deploy: 9');
    expect(await tagOnMain()).toBe('v1.4.0');
    expect(await repo.getPullRequest(REPO, pr.number)).toMatchObject({ merged: true, mergeSha: merged.commit.sha });
  });
});

describe('config repository against GitHub\'s refusals', () => {
  it('a branch that only takes pull requests (409 over an unchanged file) is reported as GitHub\'s refusal, not as contention', async () => {
    // What GitHub answers for a commit to a protected branch through the contents API, on a file nobody else changes.
    const text = 'images:\n  - name: registry.local/acme/catalog\n    newTag: v1.0.0\n';
    let puts = 0;
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        if (req.method === 'GET') {
          res.end(JSON.stringify({ type: 'file', encoding: 'base64', path: PATH, sha: 'b10b', content: Buffer.from(text).toString('base64') }));
          return;
        }
        puts += 1;
        res.statusCode = 409;
        res.end(JSON.stringify({ message: 'Could not update file: Changes must be made through a pull request.', documentation_url: 'https://docs.github.com/articles/about-protected-branches' }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const address = server.address();
      const protectedRepo = createConfigRepository({ baseUrl: `http://127.0.0.1:${address && typeof address === 'object' ? address.port : 0}` });
      const u = await protectedRepo.updateFile(REPO, { path: PATH, branch: 'main', message: 'deploy', edit: setTag('v1.1.0', 'v1.0.0'), attempts: 5 });
      expect(u).toMatchObject({ kind: 'stopped', reason: 'GitHub refused the commit to main: Could not update file: Changes must be made through a pull request.' });
      expect(puts).toBe(2);
    } finally {
      await new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); });
    }
  });

  it('a failing request never carries the token: not in the error, its message, nor its cause as a logger would print it', async () => {
    const token = 'ghp_NotARealTokenButSecret0123456789';
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(String(req.headers.authorization));
      req.resume();
      res.statusCode = 500;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ message: 'Server Error' }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const address = server.address();
      const withToken = createConfigRepository({ token, baseUrl: `http://127.0.0.1:${address && typeof address === 'object' ? address.port : 0}` });
      const err: unknown = await withToken.readFile(REPO, PATH, 'main').then(() => undefined, (e: unknown) => e);
      expect(seen[0]).toContain(token);
      expect(err).toMatchObject({ code: 'github_api_error' });
      expect(inspect(err, { depth: 10 })).not.toContain(token);
      expect(JSON.stringify(err, Object.getOwnPropertyNames(err))).not.toContain(token);
    } finally {
      await new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); });
    }
  });
});
