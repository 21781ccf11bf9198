/** Part of the composition root (main.ts): the GitLab client, for services with `repository: gitlab:group/name`. */
import { closestTags } from '../github/index.ts';
import type { GitLabClient } from '../gitlab/index.ts';

/**
 * GitLab's client (GITLAB_URL, default gitlab.com). @gitbeaker/rest costs ~20 MB resident once loaded, and GitLab is
 * asked only when one of its services is deployed: the module is imported on the first call, not at start.
 */
export function lazyGitLabClient(url: string | undefined, token: string | undefined): GitLabClient {
  let loading: Promise<GitLabClient> | undefined;
  const client = (): Promise<GitLabClient> => {
    loading ??= import('../gitlab/index.ts').then(({ createGitLabClient }) => createGitLabClient({ url, token, closestTags }));
    // A failed import is not remembered: the next call tries again.
    loading.catch(() => { loading = undefined; });
    return loading;
  };
  return {
    listTags: async (...a) => (await client()).listTags(...a),
    tagExists: async (...a) => (await client()).tagExists(...a),
    closestTags: async (...a) => (await client()).closestTags(...a),
    dispatchWorkflow: async (...a) => (await client()).dispatchWorkflow(...a),
    findDispatchedRun: async (...a) => (await client()).findDispatchedRun(...a),
    getRun: async (...a) => (await client()).getRun(...a),
    listRunJobs: async (...a) => (await client()).listRunJobs(...a),
    createDeployment: async (...a) => (await client()).createDeployment(...a),
    listDeployments: async (...a) => (await client()).listDeployments(...a),
    createDeploymentStatus: async (...a) => (await client()).createDeploymentStatus(...a),
    compare: async (...a) => (await client()).compare(...a),
  };
}
