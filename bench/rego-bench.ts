/**
 * Rego engine benchmark: compile time of a ~100-line deploy policy, then decisions per second and latency
 * percentiles for `data.deckhand.deploy.decision`. Writes bench/results/rego.json. Not a test.
 * Run: npx node bench/rego-bench.ts
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileModules, fromJSON } from '@deckhand/rego';

const here = dirname(fileURLToPath(import.meta.url));
const source = readFileSync(join(here, '../packages/rego/test/fixtures/deploy.rego'), 'utf8');
const data = fromJSON({ groups: { ada: ['admins'], bob: ['deployers'], eve: [] } });
const inputs = [
  { user: 'ada', env: 'staging', version: 'v1.2.3', hour: 10, service: 'api', strategy: 'rolling', steps: [] },
  { user: 'bob', env: 'production', version: 'v1.0.0', hour: 23, service: 'web', strategy: 'canary', steps: [{ weight: 10 }, { weight: 60 }] },
  { user: 'eve', env: 'prod-eu', version: 'latest', hour: 3, service: 'db', strategy: 'rolling', steps: [] },
].map(fromJSON);

const t0 = performance.now();
const COMPILES = 50;
let policy = compileModules([{ path: 'deploy.rego', source }]);
for (let i = 1; i < COMPILES; i++) policy = compileModules([{ path: 'deploy.rego', source }]);
const compileMs = (performance.now() - t0) / COMPILES;

const decide = (i: number): void => {
  const r = policy.query('data.deckhand.deploy.decision', { input: inputs[i % inputs.length], data });
  if (r.error || r.rows.length !== 1) throw new Error(`unexpected result: ${r.error?.message ?? r.rows.length}`);
};
for (let i = 0; i < 2000; i++) decide(i); // warm-up

const N = 20000;
const lat = new Float64Array(N);
const start = performance.now();
for (let i = 0; i < N; i++) {
  const s = performance.now();
  decide(i);
  lat[i] = performance.now() - s;
}
const totalMs = performance.now() - start;
lat.sort();
const pct = (p: number): number => lat[Math.min(N - 1, Math.floor((p / 100) * N))]!;
const evalPathStart = performance.now();
for (let i = 0; i < N; i++) policy.evalPath('deckhand/deploy/decision', { input: inputs[i % inputs.length], data });
const evalPathPerSec = N / ((performance.now() - evalPathStart) / 1000);

const result = {
  policyLines: source.split('\n').length,
  compileMs: Number(compileMs.toFixed(3)),
  decisions: N,
  decisionsPerSec: Math.round(N / (totalMs / 1000)),
  evalPathPerSec: Math.round(evalPathPerSec),
  p50Ms: Number(pct(50).toFixed(4)),
  p99Ms: Number(pct(99).toFixed(4)),
  maxMs: Number(lat[N - 1]!.toFixed(4)),
  node: process.version,
  at: new Date().toISOString(),
};
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results/rego.json'), JSON.stringify(result, null, 2) + '\n');
console.log(result);
