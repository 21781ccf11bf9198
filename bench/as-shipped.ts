import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The V8 flags bin/deckhand.js runs with (the Dockerfile's entrypoint gives the same; test/helm/dockerfile.test.ts). */
export const SHIPPED_V8_FLAGS = readFileSync('bin/deckhand.js', 'utf8').match(/^#!.*?node\s+(.*)$/m)?.[1]?.split(/\s+/).filter((f) => f.startsWith('--')) ?? [];
/** The C library's settings the image runs with (the Dockerfile's ENV). */
export const SHIPPED_MALLOC_ENV: Record<string, string> = Object.fromEntries([...readFileSync('Dockerfile', 'utf8').matchAll(/\b(MALLOC_\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]));

const MARK = 'DECKHAND_BENCH_AS_SHIPPED';

/**
 * Runs this benchmark's process as Deckhand is shipped: with the V8 flags and C library settings of bin/deckhand.js
 * and the image. V8's heap flags only take effect at start, so a process started without them starts itself again
 * with them (its children inherit both) and exits as that one does.
 */
export function runAsShipped(): void {
  if (process.env[MARK] === '1') return;
  const script = process.argv[1] ?? '';
  const r = spawnSync(process.execPath, [...process.execArgv, ...SHIPPED_V8_FLAGS, script, ...process.argv.slice(2)], {
    stdio: 'inherit', env: { ...process.env, ...SHIPPED_MALLOC_ENV, [MARK]: '1' },
  });
  process.exit(r.status ?? 1);
}
