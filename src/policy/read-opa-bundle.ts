import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import YAML from 'yaml';
import { parseModule } from '@deckhand/rego';
import { DeckhandError } from '../errors.ts';
import { readTarGz, type TarFile } from './read-tar-gz.ts';
import { BundleManifest } from './schema.ts';
import type { PolicyBundle } from './read-policy-dir.ts';

const DATA_FILES = new Set(['data.json', 'data.yaml', 'data.yml']);

/** Reads an OPA bundle archive (`opa build` output, or any `tar czf` of a bundle directory). */
export async function readOpaBundle(file: string): Promise<PolicyBundle> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new DeckhandError('policy_error', `The policy bundle ${file} cannot be read.`, { cause: err });
  }
  return bundleFromFiles(readTarGz(bytes, file), basename(file));
}

/**
 * A bundle's files as OPA reads them: the `.manifest` (revision, roots), every `*.rego`, and each `data.json` /
 * `data.yaml` placed at its directory's path (`/a/b/data.json` is `data.a.b`). Refused as OPA refuses: a package or
 * data outside the roots, roots that overlap, a manifest that is not JSON; and, beyond OPA, what this engine cannot
 * honour (Rego v0, wasm, delta bundles) and paths that climb out of the archive. `name` prefixes module paths, so
 * compile errors read `policies.tar.gz/deploy.rego:3: …`.
 */
export function bundleFromFiles(files: readonly TarFile[], name: string): PolicyBundle {
  const refuse = (why: string): never => { throw new DeckhandError('policy_error', `The policy bundle ${name} is refused: ${why}.`); };
  let manifest: BundleManifest = { revision: '' };
  const modules: { path: string; source: string }[] = [];
  const dataFiles: { at: string[]; path: string; value: unknown }[] = [];
  let signed = false;
  for (const f of files) {
    const segs = f.path.split('/').filter((s) => s !== '' && s !== '.');
    if (segs.includes('..')) refuse(`the entry ${JSON.stringify(f.path)} climbs out of the bundle`);
    const path = `/${segs.join('/')}`;
    const last = segs.at(-1) ?? '';
    if (path === '/.manifest') manifest = parseManifest(f.content, refuse);
    else if (path === '/.signatures.json') signed = true;
    else if (last === 'patch.json' && segs.length === 1) refuse('it is a delta bundle (patch.json), which only an OPA server can apply');
    else if (last.endsWith('.rego')) modules.push({ path: `${name}${path}`, source: f.content.toString('utf8') });
    else if (DATA_FILES.has(last)) dataFiles.push({ at: segs.slice(0, -1), path, value: parseData(f.content, path, last, refuse) });
  }
  if (manifest.rego_version === 0) refuse('its .manifest says rego_version 0; the embedded engine reads Rego v1 only');
  if (manifest.wasm?.length) refuse('it carries wasm modules, which the embedded engine does not run');
  const roots = (manifest.roots ?? ['']).map((r) => r.replace(/^\/+|\/+$/g, ''));
  for (let i = 0; i < roots.length; i++) {
    for (let j = i + 1; j < roots.length; j++) {
      if (rootsOverlap(roots[i]!, roots[j]!)) refuse(`manifest has overlapped roots: '${roots[i]}' and '${roots[j]}'`);
    }
  }
  const shownRoots = `[${roots.join(' ')}]`;
  for (const m of modules) {
    const pkg = packageOf(m);
    // A module that does not parse is left to the compiler, which says where and why with OPA's code.
    if (pkg && !rootsContain(roots, pkg.join('/'))) {
      refuse(`manifest roots ${shownRoots} do not permit 'package ${pkg.join('.')}' in module '${m.path.slice(name.length)}'`);
    }
  }
  let data: unknown = {};
  for (const d of dataFiles.sort((a, b) => a.at.length - b.at.length)) data = insertAt(data, d.at, d.value, d.path, refuse);
  checkDataRoots(data, '', roots, shownRoots, refuse);
  return { modules, data, revision: manifest.revision, roots, signaturesUnverified: signed };
}

function parseManifest(content: Buffer, refuse: (why: string) => never): BundleManifest {
  let json: unknown;
  try {
    json = JSON.parse(content.toString('utf8'));
  } catch (err) {
    return refuse(`bundle load failed on manifest decode: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = BundleManifest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return refuse(`bundle load failed on manifest decode: ${issue?.path.join('.') || 'the manifest'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

function parseData(content: Buffer, path: string, file: string, refuse: (why: string) => never): unknown {
  try {
    const text = content.toString('utf8');
    return file === 'data.json' ? JSON.parse(text) : YAML.parse(text);
  } catch (err) {
    return refuse(`bundle load failed on ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function packageOf(m: { path: string; source: string }): string[] | undefined {
  try {
    return parseModule(m.path, m.source).pkg;
  } catch {
    return undefined;
  }
}

const segments = (p: string): string[] => (p === '' ? [] : p.split('/'));

/** OPA's RootPathsContain: the empty root holds everything; otherwise a root's segments must begin the path's. */
function rootsContain(roots: readonly string[], path: string): boolean {
  const p = segments(path);
  return roots.some((r) => { const rs = segments(r); return rs.length <= p.length && rs.every((s, i) => s === p[i]); });
}

function rootsOverlap(a: string, b: string): boolean {
  const x = segments(a), y = segments(b);
  const n = Math.min(x.length, y.length);
  return x.slice(0, n).every((s, i) => s === y[i]);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Places one data file's value at its directory's path, merging objects; two values for one key is an error. */
function insertAt(root: unknown, at: readonly string[], value: unknown, path: string, refuse: (why: string) => never): unknown {
  if (at.length === 0) return merge(root, value, path, refuse);
  const base = isObject(root) ? root : {};
  const [head, ...rest] = at;
  const key = head ?? '';
  return { ...base, [key]: insertAt(base[key] ?? {}, rest, value, path, refuse) };
}

function merge(a: unknown, b: unknown, path: string, refuse: (why: string) => never): unknown {
  if (isObject(a) && isObject(b)) {
    const out: Record<string, unknown> = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = k in a ? merge(a[k], v, path, refuse) : v;
    return out;
  }
  if (isObject(a) && Object.keys(a).length === 0) return b;
  return refuse(`bundle load failed on ${path}: merge error: a value is given twice`);
}

/** OPA's data check: every leaf lies under a root, and every object on the way is a prefix of one. */
function checkDataRoots(node: unknown, path: string, roots: readonly string[], shown: string, refuse: (why: string) => never): void {
  if (rootsContain(roots, path)) return;
  if (isObject(node) && (path === '' || roots.some((r) => rootsContain([path], r)))) {
    for (const [k, v] of Object.entries(node)) checkDataRoots(v, path === '' ? k : `${path}/${k}`, roots, shown, refuse);
    return;
  }
  refuse(`manifest roots ${shown} do not permit data at path '/${path}' (hint: check bundle directory structure)`);
}
