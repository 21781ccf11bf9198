import type { Delivery, GitOpsDelivery } from '../../config/index.ts';
import { DeckhandError } from '../../errors.ts';
import type { Deploy, WorkloadTarget } from '../../deploy/index.ts';
import type { ConfigRepository, RepoRef } from '../../github/index.ts';
import type { ArgoCdClient } from '../../kube/index.ts';
import type { GitOpsState } from '../gitops-state.ts';
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

export function isCommitOf(message: string, deployId: string, purpose: GitOpsState['purpose']): boolean {
  const lines = new Set(message.split('\n').map((l) => l.trim()));
  return lines.has(`Deckhand-Deploy: ${deployId}`) && lines.has(`Deckhand-Action: ${purpose}`);
}
