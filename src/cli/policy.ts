import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createEmbeddedBackend, readPolicyDir, serveDataApi } from '../policy/index.ts';
import { formatConformanceReport, formatPolicyTestReport, fromJSON, runConformance, runPolicyTests, toJSON, RegoCompileError } from '@deckhand/rego';
import { PACKAGE_ROOT } from '../sandbox/index.ts';

// `deckhand policy …`: thin wrappers over the embedded engine (options are parsed by the command line); each returns
// an exit code, and says in one line what is wrong with a folder or file it was given.

function policyDir(dir: string | undefined): string {
  return dir ?? join(PACKAGE_ROOT, 'policies');
}

/** One line about a path that is not what the command needs, or undefined when it is. */
async function missingFolder(what: string, dir: string): Promise<string | undefined> {
  const found = await stat(dir).catch(() => undefined);
  if (!found) return `${what}: there is no folder ${dir}.`;
  return found.isDirectory() ? undefined : `${what}: ${dir} is a file, not a folder.`;
}

async function readJsonFile(option: string, file: string): Promise<{ ok: true; value: unknown } | { ok: false; problem: string }> {
  let text;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return { ok: false, problem: `${option} ${file}: there is no such file.` };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, problem: `${option} ${file} is not valid JSON: ${(e as Error).message}` };
  }
}

/** Policies that do not compile are the author's mistake, not a crash: their messages, exit 1. */
async function reportingCompileErrors(run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof RegoCompileError)) throw err;
    process.stderr.write(`${err.errors.map((e) => e.message).join('\n')}\n`);
    return 1;
  }
}

function refuse(problem: string): number {
  process.stderr.write(`${problem}\n`);
  return 1;
}

export function runPolicyTest(dir: string | undefined): Promise<number> {
  return reportingCompileErrors(async () => {
    const folder = policyDir(dir);
    const missing = await missingFolder('deckhand policy test', folder);
    if (missing) return refuse(missing);
    const bundle = await readPolicyDir(folder, { includeTests: true });
    const report = runPolicyTests(bundle.modules, { data: fromJSON(bundle.data) });
    process.stdout.write(`${formatPolicyTestReport(report)}\n`);
    return report.failed + report.errored + report.compileErrors.length === 0 && report.results.length > 0 ? 0 : 1;
  });
}

export function runPolicyEval(o: { query: string; input?: string; data?: string; dir?: string }): Promise<number> {
  return reportingCompileErrors(async () => {
    const folder = policyDir(o.dir);
    const missing = await missingFolder('deckhand policy eval', folder);
    if (missing) return refuse(missing);
    const bundle = await readPolicyDir(folder);
    const data = o.data === undefined ? { ok: true as const, value: bundle.data } : await readJsonFile('--data', o.data);
    if (!data.ok) return refuse(`deckhand policy eval: ${data.problem}`);
    const input = o.input === undefined ? { ok: true as const, value: undefined } : await readJsonFile('--input', o.input);
    if (!input.ok) return refuse(`deckhand policy eval: ${input.problem}`);
    const policy = createEmbeddedBackend({ modules: bundle.modules, data: data.value }).policy;
    // A bare reference prints its value; any other query prints its variable bindings, one object per solution.
    const bare = /^[A-Za-z_][\w.]*(\[[^\]]+\])*$/.test(o.query.trim());
    const result = policy.query(bare ? `__value__ := ${o.query}` : o.query, {
      input: input.value === undefined ? undefined : fromJSON(input.value), data: fromJSON(data.value),
    });
    const rows = result.rows.map((row) => Object.fromEntries([...row].map(([k, v]) => [k, toJSON(v)])));
    const out = bare ? { result: rows.map((r) => r.__value__) } : { result: rows };
    process.stdout.write(`${JSON.stringify({ ...out, ...(result.error ? { error: result.error.message } : {}) }, (_k, v) => typeof v === 'bigint' ? v.toString() : v, 2)}\n`);
    return result.error ? 1 : rows.length ? 0 : 1;
  });
}

export async function runPolicyConformance(dir: string): Promise<number> {
  const missing = await missingFolder('deckhand policy conformance', dir);
  if (missing) return refuse(missing);
  const report = await runConformance(dir);
  process.stdout.write(`${formatConformanceReport(report)}\n`);
  return report.failed === 0 ? 0 : 1;
}

export function runPolicyServe(o: { port: number; host: string; dir?: string }): Promise<number> {
  return reportingCompileErrors(async () => {
    const folder = policyDir(o.dir);
    const missing = await missingFolder('deckhand policy serve', folder);
    if (missing) return refuse(missing);
    const bundle = await readPolicyDir(folder);
    const backend = createEmbeddedBackend(bundle);
    const server = await serveDataApi(backend.policy, fromJSON(bundle.data), o.port, o.host);
    process.stdout.write(`Serving OPA's Data API on http://${o.host}:${o.port}/v1/data (packages: ${backend.policy.packages.join(', ')}). Ctrl-C stops it.\n`);
    await new Promise<void>((resolve) => { process.once('SIGINT', resolve); process.once('SIGTERM', resolve); });
    server.close();
    return 0;
  });
}
