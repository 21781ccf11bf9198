import type { JsonBase } from './github-json.ts';
import type { SimGitHubState } from './sim-state.ts';
import type { WorkflowRunner } from './workflow-runs.ts';

export interface SimRequest {
  method: string;
  /** Path segments after `/repos/{owner}/{repo}/`, decoded. */
  rest: string[];
  query: URLSearchParams;
  body: Record<string, unknown>;
}

export interface RouteContext {
  state: SimGitHubState;
  runner: WorkflowRunner;
  base: JsonBase;
  /** Answer dispatches with 204 and no run details, like GitHub Enterprise Server before the run-details option. */
  legacyDispatch: boolean;
}
