// Deckhand runs its TypeScript sources directly. Node strips their types with a WebAssembly compiler that, once
// loaded, keeps about 20 MB resident for the life of the process — a fifth of what Deckhand needs at rest. This
// module keeps each file's stripped JavaScript in a cache keyed by the Node version, the path and the source
// itself, so a start whose sources have not changed never loads that compiler. A changed file is stripped again;
// an unwritable cache (a read-only install) only costs the memory. Plain JavaScript: it must load before any .ts.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { registerHooks, stripTypeScriptTypes } from 'node:module';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CACHE_DIR = process.env.DECKHAND_TS_CACHE || join(ROOT, 'node_modules', '.cache', 'deckhand-ts');

function cachePath(file, source) {
  const key = createHash('sha256').update(process.version).update('\0').update(file).update('\0').update(source).digest('hex');
  return join(CACHE_DIR, `${key.slice(0, 40)}.js`);
}

/** Node flags the stripping API as experimental on each first use; that note is not for Deckhand's users. */
function quietly(strip) {
  const emitWarning = process.emitWarning;
  process.emitWarning = (warning, ...rest) => {
    if (!String(warning).includes('stripTypeScriptTypes')) emitWarning.call(process, warning, ...rest);
  };
  try {
    return strip();
  } finally {
    process.emitWarning = emitWarning;
  }
}

/** The stripped JavaScript of one .ts file: from the cache, or stripped now and stored for the next start. */
export function strippedSource(file, used) {
  const source = readFileSync(file, 'utf8');
  const cached = cachePath(file, source);
  used?.add(cached);
  try {
    return readFileSync(cached, 'utf8');
  } catch {
    // Not cached yet: strip it now (the only path that loads the compiler).
  }
  const js = quietly(() => stripTypeScriptTypes(source, { mode: 'strip' }));
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    const tmp = `${cached}.${process.pid}.tmp`;
    writeFileSync(tmp, js);
    renameSync(tmp, cached);
  } catch {
    // A read-only install: run from memory.
  }
  return js;
}

/** The folders whose sources a start loads: the bot's own, and each workspace package's (packages/<name>/src). */
function sourceFolders() {
  let packages = [];
  try {
    packages = readdirSync(join(ROOT, 'packages'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join('packages', entry.name, 'src'))
      .filter((folder) => existsSync(join(ROOT, folder)));
  } catch {
    // No packages/ folder: only the bot's own sources.
  }
  return ['src', 'commands', ...packages];
}

/**
 * Strips every .ts file below the given folders into the cache (the install step warms it), and
 * drops entries of sources that no longer exist as they were, so edits do not make the cache grow without end.
 */
export function warm(folders = sourceFolders()) {
  const used = new Set();
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) strippedSource(path, used);
    }
  };
  for (const folder of folders) walk(join(ROOT, folder));
  try {
    for (const name of readdirSync(CACHE_DIR)) if (!used.has(join(CACHE_DIR, name))) rmSync(join(CACHE_DIR, name), { force: true });
  } catch {
    // No cache folder (read-only install): nothing to prune.
  }
  return used.size;
}

registerHooks({
  load(url, context, nextLoad) {
    if (!url.startsWith('file:') || !url.endsWith('.ts') || url.includes('/node_modules/')) return nextLoad(url, context);
    // Positions are kept (types become spaces), so stack traces point at the right lines of the .ts file.
    return { format: 'module', source: strippedSource(fileURLToPath(url)), shortCircuit: true };
  },
});

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(`${warm()} TypeScript files stripped into ${CACHE_DIR}\n`);
}
