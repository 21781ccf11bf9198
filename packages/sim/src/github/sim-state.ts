import type { SimRepoSeed } from './repo-seed.ts';
import { RepoGraph } from './repo-graph.ts';
import type { SimPull } from './pull-requests.ts';
import { SimRegistry, type SimImageSigner } from './sim-registry.ts';

export interface SimJob {
  id: number;
  name: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  startedAt: string | null;
  completedAt: string | null;
}

export interface SimRun {
  id: number;
  repo: string;
  workflow: string;
  runNumber: number;
  headBranch: string;
  headSha: string;
  event: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  createdAt: string;
  updatedAt: string;
  jobs: SimJob[];
  inputs: Record<string, unknown>;
}

export interface SimDeploymentStatus {
  id: number;
  state: string;
  description: string;
  logUrl: string;
  environmentUrl: string;
  createdAt: string;
}

export interface SimDeployment {
  id: number;
  repo: string;
  ref: string;
  sha: string;
  environment: string;
  description: string;
  payload: Record<string, unknown>;
  productionEnvironment: boolean;
  transientEnvironment: boolean;
  createdAt: string;
  /** Oldest first. */
  statuses: SimDeploymentStatus[];
}

export interface SimRepo {
  fullName: string;
  graph: RepoGraph;
  failing: Set<string>;
  defaultBranch: string;
  /** Pull requests by number order; numbers continue after the seeded history's merged ones. */
  pulls: SimPull[];
}

/** Everything the simulated GitHub knows; the routes read and change it, tests inspect it. */
export class SimGitHubState {
  readonly repos = new Map<string, SimRepo>();
  readonly runs = new Map<number, SimRun>();
  readonly deployments = new Map<number, SimDeployment>();
  /** Image names with tag in the registry, as `acme/api:v1.5.0`; their manifests, digests and signatures are in `registry`. */
  readonly images = new Set<string>();
  readonly registry: SimRegistry;
  #ids = 1000;

  constructor(seeds: readonly SimRepoSeed[], signer?: SimImageSigner) {
    this.registry = new SimRegistry(signer);
    for (const seed of seeds) {
      const files = new Map(Object.entries(seed.files ?? {}).map(([path, text]) => [path, Buffer.from(text, 'utf8')]));
      const graph = new RepoGraph(seed.fullName, seed.history, undefined, files);
      const head = graph.branches.get('main');
      for (const branch of seed.branches ?? []) if (head) graph.branches.set(branch, head);
      this.repos.set(seed.fullName.toLowerCase(), { fullName: seed.fullName, graph, failing: new Set(seed.failing ?? []), defaultBranch: 'main', pulls: [] });
      for (const t of seed.built) this.pushImage(seed.fullName, t);
    }
  }

  /** An image pushed for `repository:tag` (seeded, or by a finished build): in the registry, signed by the signer hook. */
  pushImage(repository: string, tag: string): string {
    this.images.add(`${repository}:${tag}`);
    return this.registry.push(repository, tag);
  }

  nextId(): number {
    return ++this.#ids;
  }

  repo(owner: string, name: string): SimRepo | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  /** A deployment's statuses as GitHub lists them: newest first. */
  statusesOf(deploymentId: number): SimDeploymentStatus[] {
    return [...(this.deployments.get(deploymentId)?.statuses ?? [])].reverse();
  }
}

/** GitHub timestamps: UTC, whole seconds. */
export function githubTime(ms: number = Date.now()): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
