import { stat } from 'node:fs/promises';
import { DeckhandError } from '../errors.ts';
import { readOpaBundle } from './read-opa-bundle.ts';
import { readPolicyDir, type PolicyBundle } from './read-policy-dir.ts';

/** True for a path that names an OPA bundle archive rather than a folder of policies. */
export function isBundleArchive(path: string): boolean {
  return /\.(tar\.gz|tgz)$/i.test(path);
}

/**
 * The policies at `source`: an OPA bundle archive (`*.tar.gz` / `*.tgz`, read as OPA reads it: manifest, roots,
 * data files at their paths) or a folder of `*.rego` files and `data.json` (a mounted ConfigMap included).
 */
export async function readPolicies(source: string, options: { includeTests?: boolean } = {}): Promise<PolicyBundle> {
  if (isBundleArchive(source)) return readOpaBundle(source);
  const found = await stat(source).catch(() => undefined);
  if (!found) throw new DeckhandError('policy_error', `There is no policy folder or bundle at ${source}.`);
  if (!found.isDirectory()) throw new DeckhandError('policy_error', `${source} is a file: policies come from a folder of .rego files or an OPA bundle (.tar.gz).`);
  return readPolicyDir(source, options);
}
