import type { SimHistoryEntry } from '../github/repo-graph.ts';

export interface SimGitLabProjectSeed {
  /** `group/name` or `group/sub/name`. */
  path: string;
  /**
   * Oldest first. A `merge` entry is a merge request merged with a merge commit (its iid is `number`); a commit whose
   * subject ends in `(!n)` is a squash-merged request `!n`.
   */
  history: SimHistoryEntry[];
  /** Tags whose pipeline fails (its test job). */
  failing?: string[];
}

const commit = (message: string, author = 'alice'): SimHistoryEntry => ({ kind: 'commit', message, author });
const tag = (name: string): SimHistoryEntry => ({ kind: 'tag', name });

/**
 * The example GitLab project of deckhand.yaml: `acme/billing`, with merge commits and squash merges between v3.0.0
 * and v3.2.0; `v3.1.1` builds fine, `v3.2.0`'s pipeline fails.
 */
export function defaultSimGitLabProjects(): SimGitLabProjectSeed[] {
  return [{
    path: 'acme/billing',
    history: [
      commit('feat: invoices (!1)'), tag('v3.0.0'),
      { kind: 'merge', number: 4, branch: 'credit-notes', title: 'feat: credit notes', commits: ['credit note model', 'credit note api'], author: 'alice' },
      commit('fix: VAT rounding on credit notes (!5)', 'dave'),
      commit('docs: billing runbook'),
      tag('v3.1.0'),
      commit('fix: duplicate invoice numbers under load (!7)', 'dave'),
      tag('v3.1.1'),
      { kind: 'merge', number: 9, branch: 'dunning', title: 'feat: dunning emails', commits: ['dunning schedule', 'email templates'], author: 'alice' },
      tag('v3.2.0'),
    ],
    failing: ['v3.2.0'],
  }];
}

/** A GitLab-built service as the sandbox config describes it: its project and versions. */
export interface SimGitLabServiceSeed {
  project: string;
  versions: string[];
  failing?: string[];
}

/**
 * Projects for the given services: the example history when there is one for the project (with any further
 * versions tagged on top), else one commit per version.
 */
export function simGitLabProjectsFor(services: readonly SimGitLabServiceSeed[]): SimGitLabProjectSeed[] {
  const examples = new Map(defaultSimGitLabProjects().map((p) => [p.path, p]));
  return services.map((svc) => {
    const history = [...(examples.get(svc.project)?.history ?? [])];
    const tagged = new Set(history.flatMap((h) => (h.kind === 'tag' ? [h.name] : [])));
    for (const version of svc.versions) {
      if (tagged.has(version)) continue;
      history.push(commit(`feat: changes for ${version}`), tag(version));
      tagged.add(version);
    }
    return { path: svc.project, history, failing: [...(svc.failing ?? [])] };
  });
}
