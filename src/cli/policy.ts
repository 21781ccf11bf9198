import { readFile, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { isAbsolute, join, relative } from 'node:path';
import { createEmbeddedBackend, createReloadingBackend, readPolicies, serveDataApi, type ReloadLog } from '../policy/index.ts';
import { isDeckhandError } from '../errors.ts';
import {
  explainQuery, formatConformanceReport, formatExplanation, formatPolicyTestReport, fromJSON, jsonText, runConformance, runPolicyTests, toJSON,
  RegoCompileError, type ExplainMode,
} from '@deckhand/rego';
import { PACKAGE_ROOT } from '../sandbox/sandbox-files.ts';

// `deckhand policy …`: thin wrappers over the embedded engine (options are parsed by the command line); each returns
// an exit code, and says in one line what is wrong with a folder or file it was given.

/** The folder or OPA bundle (.tar.gz) given, else the shipped policies/. */
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

/**
 * Policies that do not compile, and a folder or bundle that cannot be read (no such path, roots broken, a bad
 * .manifest), are the author's mistake, not a crash: their messages, exit 1.
 */
async function reportingCompileErrors(run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof RegoCompileError) {
      process.stderr.write(`${err.errors.map((e) => e.message).join('\n')}\n`);
      return 1;
    }
    if (isDeckhandError(err, 'policy_error')) return refuse(err.userMessage);
    throw err;
  }
}

function refuse(problem: string): number {
  process.stderr.write(`${problem}\n`);
  return 1;
}

export function runPolicyTest(dir: string | undefined): Promise<number> {
  return reportingCompileErrors(async () => {
    const bundle = await readPolicies(policyDir(dir), { includeTests: true });
    const report = runPolicyTests(bundle.modules, { data: fromJSON(bundle.data) });
    process.stdout.write(`${formatPolicyTestReport(report)}\n`);
    return report.failed + report.errored + report.compileErrors.length === 0 && report.results.length > 0 ? 0 : 1;
  });
}

export function runPolicyEval(o: { query: string; input?: string; data?: string; dir?: string }): Promise<number> {
  return reportingCompileErrors(async () => {
    const bundle = await readPolicies(policyDir(o.dir));
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

/**
 * OPA's YAML cases under each folder given (a tree laid out like OPA's, or one of its folders): per folder, passed,
 * failed and skipped, every skip and failure with its reason, and a total. Exit 1 when any case fails.
 */
export async function runPolicyConformance(dirs: readonly string[]): Promise<number> {
  if (dirs.length === 0) return refuse('deckhand policy conformance: name the folder of cases, e.g. packages/rego/test/fixtures/opa-conformance/cases.');
  let failed = 0;
  for (const dir of dirs) {
    const missing = await missingFolder('deckhand policy conformance', dir);
    if (missing) return refuse(missing);
    const report = await runConformance(dir);
    if (dirs.length > 1) process.stdout.write(`== ${dir}\n`);
    process.stdout.write(`${formatConformanceReport(report)}\n`);
    if (report.passed + report.failed + report.skipped === 0) return refuse(`deckhand policy conformance: ${dir} holds no case (.yaml files with a \`cases:\` list).`);
    failed += report.failed;
  }
  return failed === 0 ? 0 : 1;
}

function shorterPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return isAbsolute(path) && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

export const EXPLAIN_MODES: readonly ExplainMode[] = ['full', 'fails', 'notes'];

/**
 * Why `query` came out as it did for this input, like `opa eval --explain`: the document's value, then the rules of
 * its package (and the packages that one imports) that fired, with what they produced, and those that did not, with
 * the expression that failed. Exit 0 when the document is defined, 1 when it is undefined or cannot be evaluated.
 */
export function runPolicyExplain(o: { query: string; input?: string; data?: string; dir?: string; explain?: string; format?: string }): Promise<number> {
  return reportingCompileErrors(async () => {
    const mode = EXPLAIN_MODES.find((m) => m === (o.explain ?? 'full'));
    if (!mode) return refuse(`deckhand policy explain: --explain is one of ${EXPLAIN_MODES.join(', ')}.`);
    const bundle = await readPolicies(policyDir(o.dir));
    const data = o.data === undefined ? { ok: true as const, value: bundle.data } : await readJsonFile('--data', o.data);
    if (!data.ok) return refuse(`deckhand policy explain: ${data.problem}`);
    const input = o.input === undefined ? { ok: true as const, value: undefined } : await readJsonFile('--input', o.input);
    if (!input.ok) return refuse(`deckhand policy explain: ${input.problem}`);
    // Rule locations read best relative to where the command runs: policies/deploy.rego:83.
    const modules = bundle.modules.map((m) => ({ ...m, path: shorterPath(m.path) }));
    const x = explainQuery(modules, o.query, { input: input.value === undefined ? undefined : fromJSON(input.value), data: fromJSON(data.value) });
    const text = o.format === 'json' ? jsonText(x, 2) : formatExplanation(x, mode);
    process.stdout.write(`${text}\n`);
    return x.result === undefined || x.error !== undefined ? 1 : 0;
  });
}

/**
 * The reloader's news for a person at a terminal: reloads on stdout beside the banner; a refused version (with each
 * problem's `file:row: code: message`) and a watch that failed on stderr, where `opa run --watch` puts its errors.
 */
const terminalLog: ReloadLog = {
  info(obj, msg) {
    const revision = 'revision' in obj && typeof obj.revision === 'string' ? ` (${obj.revision})` : '';
    process.stdout.write(`${msg}${revision}.\n`);
  },
  warn(obj, msg) {
    const cause = 'err' in obj && obj.err instanceof Error ? `: ${obj.err.message}` : '';
    process.stderr.write(`deckhand policy serve: ${msg}${cause}\n`);
  },
};

/**
 * Serves until SIGINT or SIGTERM, reloading the folder or bundle as the bot does (the same reloader): a version that
 * compiles answers from the next request on; one that does not is refused and the last good one keeps answering.
 * Only the first load has nothing to fall back on: it fails the command, before anything listens.
 */
export function runPolicyServe(o: { port: number; host: string; dir?: string }): Promise<number> {
  return reportingCompileErrors(async () => {
    const source = policyDir(o.dir);
    const backend = await createReloadingBackend(source, { log: terminalLog });
    try {
      const server = await serveDataApi(backend, o.port, o.host);
      // --port 0 takes any free port: the banner names the one it got.
      const { port } = server.address() as AddressInfo;
      process.stdout.write(`Serving OPA's Data API on http://${o.host}:${port}/v1/data (packages: ${backend.policy.packages.join(', ')}), `
        + `reloading ${shorterPath(source)} when it changes. Ctrl-C stops it.\n`);
      await new Promise<void>((resolve) => { process.once('SIGINT', resolve); process.once('SIGTERM', resolve); });
      server.close();
      return 0;
    } finally {
      backend.close();
    }
  });
}
