import { defaultConfigRepo } from './config-repo-seed.ts';
import type { SimHistoryEntry } from './repo-graph.ts';
import type { SimRepoSeed } from './repo-seed.ts';

export type { SimRepoSeed } from './repo-seed.ts';

const commit = (message: string, author = 'alice'): SimHistoryEntry => ({ kind: 'commit', message, author });
const tag = (name: string): SimHistoryEntry => ({ kind: 'tag', name });

/**
 * The example services of deckhand.yaml. api's history mixes merge commits, squash merges and direct commits so
 * release notes have something to group; `api v1.5.3` is tagged but not built (its build succeeds) and
 * `api v1.6.0` is tagged but not built and its build fails; `web v2.3.0` and `worker 2.5.0` build fine.
 * `acme/deploy-config` is the GitOps configuration repository Argo CD syncs from (config-repo-seed.ts).
 */
export function defaultSimRepos(): SimRepoSeed[] {
  return [
    {
      fullName: 'acme/api',
      history: [
        commit('feat: accounts endpoint (#3)'), tag('v1.3.0'),
        { kind: 'merge', number: 7, branch: 'retry-payments', title: 'feat: retry failed payments', commits: ['wip: retries', 'retries: backoff'], author: 'alice' },
        commit('fix: round totals half-even (#8)', 'dave'),
        commit('docs: explain refunds'),
        tag('v1.4.0'),
        { kind: 'merge', number: 11, branch: 'idempotency-keys', title: 'feat(payments): idempotency keys', commits: ['add idempotency table', 'use keys in charge'], author: 'dave' },
        commit('fix: timeout on slow card issuers (#12)'),
        commit('chore(deps): bump zod to 4.1 (#13)', 'renovate[bot]'),
        tag('v1.5.0'),
        commit('fix: leak of connections under load (#15)', 'dave'),
        tag('v1.5.1'),
        commit('fix: retry budget per merchant (#17)'),
        tag('v1.5.2'),
        commit('fix: p99 regression in the charge path (#18)', 'dave'),
        tag('v1.5.3'),
        { kind: 'merge', number: 19, branch: 'payouts', title: 'feat: payouts', commits: ['payouts model', 'payouts api'], author: 'alice' },
        commit('refactor: split the charge handler (#20)'),
        tag('v1.6.0'),
      ],
      built: ['v1.3.0', 'v1.4.0', 'v1.5.0', 'v1.5.1', 'v1.5.2'],
      failing: ['v1.6.0'],
    },
    {
      fullName: 'acme/web',
      history: [
        commit('feat: product pages (#40)', 'bob'), tag('v1.9.0'),
        commit('feat: new checkout (#44)', 'erin'), commit('fix: cart badge count (#45)', 'bob'), tag('v2.0.0'),
        { kind: 'merge', number: 48, branch: 'search', title: 'feat: search as you type', commits: ['search box', 'debounce'], author: 'erin' },
        tag('v2.1.0'),
        commit('fix: search on mobile (#50)', 'bob'), tag('v2.1.1'),
        commit('feat: wishlists (#52)', 'erin'), tag('v2.2.0'),
        commit('feat: gift cards (#55)', 'erin'), commit('fix: wishlist sharing links (#56)', 'bob'), tag('v2.3.0'),
      ],
      built: ['v1.9.0', 'v2.0.0', 'v2.1.0', 'v2.1.1', 'v2.2.0'],
    },
    {
      fullName: 'acme/worker',
      history: [
        commit('feat: nightly reports (#5)', 'carol'), tag('2.2.0'),
        commit('fix: report timezone (#6)', 'carol'), commit('feat: retry dead letters (#7)'), tag('2.3.0'),
        commit('perf: batch inserts (#9)', 'carol'), tag('2.4.0'),
        commit('feat: webhooks out (#11)'), tag('2.5.0'),
      ],
      built: ['2.2.0', '2.3.0', '2.4.0'],
    },
    defaultConfigRepo(),
  ];
}

/** A service as the sandbox config describes it to the simulated GitHub. */
export interface SimServiceSeed {
  repository: string;
  /** Tags whose image is in the registry. */
  built: string[];
  /** Tags without an image yet (built on demand). */
  unbuilt?: string[];
  /** Unbuilt tags whose build fails. */
  failing?: string[];
}

/**
 * Repositories for the given services: the example history when there is one for the repository (with any
 * further versions tagged on top), else a history of one commit per version. The registry holds exactly the
 * `built` tags.
 */
export function simReposFor(services: readonly SimServiceSeed[]): SimRepoSeed[] {
  const examples = new Map(defaultSimRepos().map((r) => [r.fullName, r]));
  return services.map((svc) => {
    const history = [...(examples.get(svc.repository)?.history ?? [])];
    const tagged = new Set(history.flatMap((h) => (h.kind === 'tag' ? [h.name] : [])));
    for (const version of [...svc.built, ...(svc.unbuilt ?? [])]) {
      if (tagged.has(version)) continue;
      history.push(commit(`feat: changes for ${version}`), tag(version));
      tagged.add(version);
    }
    return { fullName: svc.repository, history, built: [...svc.built], failing: [...(svc.failing ?? [])] };
  });
}
