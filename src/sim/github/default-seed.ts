import type { SimHistoryEntry } from './repo-graph.ts';

export interface SimRepoSeed {
  /** `owner/name`. */
  fullName: string;
  history: SimHistoryEntry[];
  /** Tags whose image is already in the registry; the others are built on demand. */
  built: string[];
  /** Tags whose build fails. */
  failing?: string[];
}

const commit = (message: string, author = 'alice'): SimHistoryEntry => ({ kind: 'commit', message, author });
const tag = (name: string): SimHistoryEntry => ({ kind: 'tag', name });

/**
 * The example services of deckhand.yaml. api's history mixes merge commits, squash merges and direct commits so
 * release notes have something to group; `api v1.5.2` is tagged but not built (its build succeeds) and
 * `api v1.6.0` is tagged but not built and its build fails.
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
        { kind: 'merge', number: 19, branch: 'payouts', title: 'feat: payouts', commits: ['payouts model', 'payouts api'], author: 'alice' },
        commit('refactor: split the charge handler (#20)'),
        tag('v1.6.0'),
      ],
      built: ['v1.3.0', 'v1.4.0', 'v1.5.0', 'v1.5.1'],
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
      ],
      built: ['v1.9.0', 'v2.0.0', 'v2.1.0', 'v2.1.1'],
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
  ];
}
