import { spawnSync } from 'node:child_process';

/** Whether `command` is on PATH (the sandbox uses a real Prometheus / Alertmanager only when installed). */
export function isInstalled(command: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], { stdio: 'ignore' }).status === 0;
}
