import type { SeedDeployment } from './seed.ts';
import type { SimCluster } from './sim-cluster.ts';
import { startSimCluster } from './sim-cluster.ts';

export interface RunSimClusterArgs {
  port?: number;
  kubeconfigPath?: string;
  seed: SeedDeployment[];
  readyDelayMs?: number;
  /** Images whose pods crash-loop (exact match, or a prefix when ending in `*`). */
  faultyImages?: string[];
}

/**
 * `deckhand sim`: starts the cluster, writes its kubeconfig and tells the operator how to point kubectl at it.
 * The caller owns the returned cluster (close it on SIGINT).
 */
export async function runSimCluster(args: RunSimClusterArgs): Promise<SimCluster> {
  const faulty = args.faultyImages ?? [];
  const cluster = await startSimCluster({
    port: args.port,
    seed: args.seed,
    readyDelayMs: args.readyDelayMs,
    isFaultyImage: (image) => faulty.some((pattern) => (pattern.endsWith('*') ? image.startsWith(pattern.slice(0, -1)) : image === pattern)),
  });
  const lines = [`Simulated Kubernetes API listening on ${cluster.url}`];
  if (args.kubeconfigPath) {
    await cluster.writeKubeconfig(args.kubeconfigPath);
    lines.push(`Kubeconfig written to ${args.kubeconfigPath}. Try:`, `  KUBECONFIG=${args.kubeconfigPath} kubectl get deploy -A`);
  } else {
    lines.push('No --kubeconfig given; write one with `deckhand sim --kubeconfig ./sim.kubeconfig` to use kubectl.');
  }
  for (const seed of args.seed) lines.push(`  seeded deployment ${seed.namespace}/${seed.name} (${seed.image}, ${seed.replicas} replicas)`);
  console.log(lines.join('\n'));
  return cluster;
}
