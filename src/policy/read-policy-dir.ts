import { readFile, readdir, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { DeckhandError } from '../errors.ts';

/** Policies as loaded, before compiling: the modules, the data document, and what the source said about itself. */
export interface PolicyBundle {
  modules: { path: string; source: string }[];
  data: unknown;
  /** The bundle's `.manifest` revision (`''` when it has none); absent for a plain directory. */
  revision?: string;
  /** The bundle's roots (`['']`: all of `data`); absent for a plain directory. */
  roots?: string[];
  /** The bundle carries `.signatures.json`, which the embedded engine does not verify. */
  signaturesUnverified?: boolean;
}

/**
 * Reads every `*.rego` (tests excluded) and `data.json` of a policy directory. A mounted ConfigMap keeps its files
 * in a timestamped folder behind the `..data` symlink, which the kubelet swaps in one rename on each update: the
 * files are read through one resolution of `..data`, so a read during a swap sees the old set or the new one,
 * never half of each.
 */
export async function readPolicyDir(dir: string, options: { includeTests?: boolean } = {}): Promise<PolicyBundle> {
  const from = await realpath(join(dir, '..data')).catch(() => dir);
  const names = (await readdir(from)).filter((n) => n.endsWith('.rego') && (options.includeTests || !n.endsWith('_test.rego'))).sort();
  const modules = await Promise.all(names.map(async (n) => ({ path: join(dir, n), source: await readFile(join(from, n), 'utf8') })));
  let data: unknown = {};
  try {
    data = JSON.parse(await readFile(join(from, 'data.json'), 'utf8'));
  } catch (err) {
    if (!(err instanceof Error && 'code' in err && err.code === 'ENOENT')) {
      throw new DeckhandError('policy_error', `${join(dir, 'data.json')} is not valid JSON.`, { cause: err });
    }
  }
  return { modules, data };
}
