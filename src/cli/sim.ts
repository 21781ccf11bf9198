import { join } from 'node:path';
import { startSimCluster } from '@deckhand/sim/kube';
import { argoRolloutsManifestsFromConfig, PACKAGE_ROOT, removeOnExit, seedFromConfig } from '../sandbox/index.ts';
import { loadConfigOrReport } from './load-config-or-report.ts';

/** `deckhand sim`: the simulated cluster alone, seeded from the config's sandbox section, until Ctrl-C; its kubeconfig goes with it. */
export async function runSim(args: { config?: string; port?: string; kubeconfig?: string }): Promise<number> {
  const config = await loadConfigOrReport(args.config);
  if (!config) return 1;
  const { seed, faulty } = seedFromConfig(config);
  const sim = await startSimCluster({
    port: args.port ? Number(args.port) : undefined,
    seed,
    // The Argo Rollouts environments' Rollouts, Services, VirtualServices and analysis templates, as in the sandbox.
    manifests: argoRolloutsManifestsFromConfig(config),
    readyDelayMs: config.sandbox?.readyDelayMs,
    isFaultyImage: (image) => faulty.has(image),
  });
  const kubeconfig = args.kubeconfig ?? join(PACKAGE_ROOT, '.deckhand', 'kubeconfig');
  await sim.writeKubeconfig(kubeconfig);
  // Like the sandbox's: gone when this process ends, however it ends, so it never points at a dead port.
  const written = removeOnExit([{ path: kubeconfig, marker: sim.url }]);
  process.stdout.write(`Simulated cluster at ${sim.url}\nkubeconfig: ${kubeconfig}\nTry: KUBECONFIG=${kubeconfig} kubectl get deploy,rs,pods -A\nCtrl-C stops it.\n`);
  await new Promise<void>((resolve) => { process.once('SIGINT', resolve); process.once('SIGTERM', resolve); });
  await sim.close();
  await written.removeNow();
  return 0;
}
