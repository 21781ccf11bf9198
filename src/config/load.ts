import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import { ConfigFile } from './schema.ts';
import { resolvingFrom } from './signature-schema.ts';
import type { Config } from './schema.ts';
import { describeIssue, withoutEchoes } from './describe-issue.ts';
import { knownKeys } from './known-keys.ts';
import { locatePath } from './locate-path.ts';
import { readEnvVars } from './read-env-vars.ts';
import type { EnvSource } from './read-env-vars.ts';
import { deepFreeze } from './deep-freeze.ts';
import { configWarnings } from './config-warnings.ts';
import type { ConfigProblem, LoadResult } from './problem.ts';

/** Where the config is looked for when neither `path` nor DECKHAND_CONFIG says. */
export const DEFAULT_CONFIG_PATH = 'deckhand.yaml';

function byPosition(a: ConfigProblem, b: ConfigProblem): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0);
}

function validateDocument(doc: Document, counter: LineCounter, file: string): { ok: true; data: ConfigFile } | { ok: false; problems: ConfigProblem[] } {
  // Key and trusted-root files named in the config are read relative to the config file.
  const parsed = resolvingFrom(dirname(resolve(file)), () => ConfigFile.safeParse(doc.toJS() ?? {}));
  if (parsed.success) return { ok: true, data: parsed.data };
  const issueContext = {
    exists: (path: readonly PropertyKey[]) => locatePath(doc, counter, path).exists,
    knownKeys: (path: readonly PropertyKey[]) => knownKeys(ConfigFile, path),
  };
  const described = withoutEchoes(parsed.error.issues.flatMap((issue) => describeIssue(issue, issueContext)));
  const problems = described.map((p) => {
    const { position } = locatePath(doc, counter, p.path, { atKey: p.atKey });
    return { file, line: position.line, col: position.col, message: p.message };
  });
  return { ok: false, problems: problems.sort(byPosition) };
}

/**
 * Validates config text and environment together and reports every problem found, each with a position.
 * YAML syntax errors stop validation of the file (its shape cannot be trusted) but environment problems are
 * still reported.
 */
export function loadConfigText(text: string, file: string, env: EnvSource): LoadResult {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const problems: ConfigProblem[] = [];
  let data: ConfigFile | undefined;
  let warnings: ConfigProblem[] = [];
  if (doc.errors.length > 0) {
    const seen = new Set<string>();
    for (const error of doc.errors) {
      const { line, col } = counter.linePos(error.pos[0]);
      const problem = { file, line, col, message: `YAML syntax: ${error.message.split('\n')[0]}` };
      const key = `${line}:${col}:${problem.message}`;
      if (!seen.has(key)) problems.push(problem);
      seen.add(key);
    }
  } else {
    const validated = validateDocument(doc, counter, file);
    if (validated.ok) {
      data = validated.data;
      warnings = configWarnings(data).map((w) => ({ file, ...locatePath(doc, counter, w.path).position, message: w.message })).sort(byPosition);
    } else {
      problems.push(...validated.problems);
    }
  }
  const envResult = readEnvVars(env);
  if (!envResult.ok) problems.push(...envResult.problems);
  if (problems.length > 0 || data === undefined || !envResult.ok) return { ok: false, problems };
  const config: Config = { ...data, source: file, runtime: envResult.runtime };
  return { ok: true, config: deepFreeze(config), warnings };
}

/**
 * Reads `deckhand.yaml` (from `path`, else DECKHAND_CONFIG, else ./deckhand.yaml) and the environment
 * (`env`, else process.env) into a frozen Config, or every problem found. Never throws for a bad or missing file.
 */
export async function loadConfig(options: { path?: string; env?: EnvSource } = {}): Promise<LoadResult> {
  const env = options.env ?? process.env;
  const file = options.path ?? (env.DECKHAND_CONFIG || undefined) ?? DEFAULT_CONFIG_PATH;
  let text: string;
  try {
    text = await readFile(resolve(file), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT'
      ? 'config file not found (set DECKHAND_CONFIG or pass --config)'
      : `config file could not be read (${code ?? 'unknown error'})`;
    return { ok: false, problems: [{ file, message }] };
  }
  return loadConfigText(text, file, env);
}
