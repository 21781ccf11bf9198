import type { Delivery, GitOpsDelivery } from '../../config/index.ts';
import { DeckhandError } from '../../errors.ts';
import type { Deploy, WorkloadTarget } from '../../deploy/index.ts';
import type { ConfigRepository, RepoRef } from '../../github/index.ts';
import type { ArgoCdClient } from '../../kube/index.ts';
import type { GitOpsState } from '../gitops-state.ts';
import type { ProgressiveDeps } from '../progressive-deps.ts';
import type { TagLocation } from './set-image-tag.ts';

/** A file of the config repository, as the path lock names it. */
export interface RepoPath {
  repository: string;
  branch: string;
  path: string;
}

/** The path lock (store/path-lock-store.ts): one deploy at a time edits a file. */
export interface PathLocks {
  acquire(p: RepoPath, deployId: string, isOver: (holder: string) => Promise<boolean>): Promise<{ ok: true } | { ok: false; holder: string }>;
  release(p: RepoPath, deployId: string): Promise<unknown>;
}

export interface GitOpsDeps {
  repository: ConfigRepository;
  argocd: ArgoCdClient;
  pathLocks: PathLocks;
  /** The environment's `delivery` from config (the pipeline runs this driver only where it is `gitops`). */
  deliveryOf(d: Deploy): Delivery | undefined;
  targetOf(d: Deploy): WorkloadTarget;
  /** True when the deploy has ended (or is gone): its path lock may be taken over. */
  isDeployOver(id: string): Promise<boolean>;
  /** Settings and analysis for the watch after a synced deploy (`soak:`); without them a deploy ends once synced. */
  watch?: ProgressiveDeps;
  /** How often the Application is looked at while a sync is followed (default 1 s). */
  pollMs?: number;
  /** How often a deploy waiting for the path lock, or for a pull request to become mergeable, looks again (default 2 s). */
  retryMs?: number;
  now?: () => number;
}

/** Everything a step needs to know about where the deploy's tag lives. */
export interface GitOpsPlace {
  delivery: GitOpsDelivery;
  repo: RepoRef;
  lock: RepoPath;
  location: TagLocation;
}

export function placeOf(deps: GitOpsDeps, d: Deploy): GitOpsPlace {
  const delivery = deps.deliveryOf(d);
  if (delivery?.kind !== 'gitops') throw new DeckhandError('deploy_invalid_state', `${d.service} in ${d.env} is not delivered through GitOps in this Deckhand's config; deploy #${d.id} needs a person.`);
  const target = deps.targetOf(d);
  const [owner = '', repo = ''] = delivery.repository.split('/');
  const location: TagLocation = delivery.format === 'kustomize'
    ? { format: 'kustomize', image: delivery.key ?? target.image }
    : delivery.format === 'helm'
      ? { format: 'helm', key: delivery.key ?? 'image.tag' }
      : { format: 'manifest', workload: target.deployment, container: target.container };
  return { delivery, repo: { owner, repo }, lock: { repository: delivery.repository, branch: delivery.branch, path: delivery.path }, location };
}

/** `https://argocd.example.com/applications/argocd/api-production`, when the UI's address is configured. */
export function applicationUrl(delivery: GitOpsDelivery): string | undefined {
  return delivery.argocdUrl ? `${delivery.argocdUrl.replace(/\/+$/, '')}/applications/${delivery.applicationNamespace}/${delivery.application}` : undefined;
}

/** A step's update of `state.gitops`: the whole object is rewritten (the runner merges the bag one level deep). */
export function gitopsState(s: GitOpsState, update: Partial<GitOpsState>): Record<string, unknown> {
  return { gitops: { ...s, ...update } };
}

/**
 * The lines a commit carries so that Deckhand finds it again after a crash (a step that wrote it may run twice):
 * git trailers, matched whole-line, so deploy 1 never adopts deploy 12's commit.
 */
export function commitTrailers(deployId: string, purpose: GitOpsState['purpose']): string {
  return `Deckhand-Deploy: ${deployId}\nDeckhand-Action: ${purpose}`;
}

/**
 * Whether `message` is the commit of that deploy's change: its trailers, read as git reads trailers — in the last
 * paragraph only, so a reason or an Argo CD message quoted above them can never pass for another deploy's.
 */
export function isCommitOf(message: string, deployId: string, purpose: GitOpsState['purpose']): boolean {
  const t = trailersOf(message);
  return t !== undefined && t.deployId === deployId && t.purpose === purpose;
}

const PURPOSES: readonly string[] = ['deploy', 'rollback', 'revert'] satisfies GitOpsState['purpose'][];

function isPurpose(value: string): value is GitOpsState['purpose'] {
  return PURPOSES.includes(value);
}

/** The deploy and the action a commit of Deckhand's names in its trailers (last paragraph only); undefined for others'. */
export function trailersOf(message: string): { deployId: string; purpose: GitOpsState['purpose'] } | undefined {
  const last = message.replace(/\r\n/g, '\n').trimEnd().split(/\n[ \t]*\n/).at(-1) ?? '';
  let deployId: string | undefined;
  let purpose: GitOpsState['purpose'] | undefined;
  for (const line of last.split('\n').map((l) => l.trim())) {
    const deploy = /^Deckhand-Deploy: (\S+)$/.exec(line)?.[1];
    const action = /^Deckhand-Action: (\S+)$/.exec(line)?.[1];
    if (deploy !== undefined) deployId = deploy;
    if (action !== undefined && isPurpose(action)) purpose = action;
  }
  return deployId !== undefined && purpose !== undefined ? { deployId, purpose } : undefined;
}

/** Somebody else's words (a reason, a name, Argo CD's message) on one line of a commit message. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
