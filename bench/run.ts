/** `npm run bench [-- name …]`: runs the named benchmarks (all by default), one process each. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const ALL = ['foundation', 'policy', 'rego', 'canary', 'slack', 'memory', 'footprint', 'kube-client', 'alert'];
const FILES: Record<string, string> = { foundation: 'bench/foundation-bench.ts', policy: 'bench/policy-bench.ts', rego: 'bench/rego-bench.ts', canary: 'bench/canary-bench.ts', slack: 'bench/slack-bench.ts', memory: 'bench/memory-bench.ts', footprint: 'bench/footprint-bench.ts', 'kube-client': 'bench/kube-client-bench.ts', alert: 'bench/alert-bench.ts' };
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : ALL;
let failed = 0;
for (const name of wanted) {
  const file = FILES[name];
  if (!file || !existsSync(file)) { console.error(`unknown benchmark ${name} (known: ${ALL.join(', ')})`); failed++; continue; }
  console.log(`== ${name}`);
  const r = spawnSync(process.execPath, [file], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
