import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createEmbeddedBackend, readPolicyDir, serveDataApi } from '../policy/index.ts';
import { formatConformanceReport, formatPolicyTestReport, fromJSON, runConformance, runPolicyTests, toJSON, RegoCompileError } from '../rego/index.ts';
import { PACKAGE_ROOT } from '../sandbox/start-sandbox.ts';

const USAGE = `deckhand policy test [dir]                                   run test_ rules like \`opa test\`
deckhand policy eval --input f.json [--data d.json] [--dir dir] <query>   print the result as JSON
deckhand policy conformance <dir>                            run OPA's YAML conformance cases
deckhand policy serve [--port 8181] [--dir dir]              OPA's Data API over the embedded engine
`;

function defaultDir(): string {
  return join(PACKAGE_ROOT, 'policies');
}

/** `deckhand policy …`: thin wrappers over the embedded engine; each returns an exit code. */
export async function runPolicyCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    switch (sub) {
      case 'test': {
        const dir = rest[0] ?? defaultDir();
        const bundle = await readPolicyDir(dir, { includeTests: true });
        const report = runPolicyTests(bundle.modules, { data: fromJSON(bundle.data) });
        process.stdout.write(`${formatPolicyTestReport(report)}\n`);
        return report.failed + report.errored + report.compileErrors.length === 0 && report.results.length > 0 ? 0 : 1;
      }
      case 'eval': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { input: { type: 'string' }, data: { type: 'string' }, dir: { type: 'string' } } });
        const query = positionals[0];
        if (!query) { process.stderr.write(USAGE); return 2; }
        const bundle = await readPolicyDir(values.dir ?? defaultDir());
        const data = values.data ? JSON.parse(await readFile(values.data, 'utf8')) : bundle.data;
        const input = values.input ? JSON.parse(await readFile(values.input, 'utf8')) : undefined;
        const policy = createEmbeddedBackend({ modules: bundle.modules, data }).policy;
        // A bare reference prints its value; any other query prints its variable bindings, one object per solution.
        const bare = /^[A-Za-z_][\w.]*(\[[^\]]+\])*$/.test(query.trim());
        const result = policy.query(bare ? `__value__ := ${query}` : query, { input: input === undefined ? undefined : fromJSON(input), data: fromJSON(data) });
        const rows = result.rows.map((row) => Object.fromEntries([...row].map(([k, v]) => [k, toJSON(v)])));
        const out = bare ? { result: rows.map((r) => r.__value__) } : { result: rows };
        process.stdout.write(`${JSON.stringify({ ...out, ...(result.error ? { error: result.error.message } : {}) }, (_k, v) => typeof v === 'bigint' ? v.toString() : v, 2)}\n`);
        return result.error ? 1 : rows.length ? 0 : 1;
      }
      case 'conformance': {
        const dir = rest[0];
        if (!dir) { process.stderr.write(USAGE); return 2; }
        const report = await runConformance(dir);
        process.stdout.write(`${formatConformanceReport(report)}\n`);
        return report.failed === 0 ? 0 : 1;
      }
      case 'serve': {
        const { values } = parseArgs({ args: rest, options: { port: { type: 'string' }, dir: { type: 'string' }, host: { type: 'string' } } });
        const bundle = await readPolicyDir(values.dir ?? defaultDir());
        const backend = createEmbeddedBackend(bundle);
        const port = Number(values.port ?? 8181);
        const server = await serveDataApi(backend.policy, fromJSON(bundle.data), port, values.host ?? '127.0.0.1');
        process.stdout.write(`Serving OPA's Data API on http://${values.host ?? '127.0.0.1'}:${port}/v1/data (packages: ${backend.policy.packages.join(', ')})\n`);
        await new Promise<void>((resolve) => { process.once('SIGINT', resolve); process.once('SIGTERM', resolve); });
        server.close();
        return 0;
      }
      default:
        process.stderr.write(USAGE);
        return 2;
    }
  } catch (err) {
    if (err instanceof RegoCompileError) {
      process.stderr.write(`${err.errors.map((e) => e.message).join('\n')}\n`);
      return 1;
    }
    throw err;
  }
}
