export { runSandbox, bannerOf, type SandboxOptions } from './run-sandbox.ts';
export { startSandboxParts, type SandboxParts } from './start-sandbox-parts.ts';
export { seedFromConfig } from './seed-from-config.ts';
export { simGitHubOptionsFromConfig } from './sim-github-options-from-config.ts';
export { simGitLabOptionsFromConfig, gitLabSandboxServices } from './sim-gitlab-options-from-config.ts';
export { simMetricsFromConfig } from './sim-metrics-from-config.ts';
export { freePort, spawnRedis, type SpawnedRedis } from './redis-server.ts';
export { PACKAGE_ROOT, SANDBOX_DIR } from './sandbox-files.ts';
export { removeOnExit, type OwnedFile } from './remove-on-exit.ts';
