/**
 * `npm run build`: the production start as one bundle in dist/ (dist/deckhand.js and its lazily loaded chunks), which
 * is what the image runs. A checkout runs the sources themselves (bin/deckhand.js); this is only for the image.
 *
 * Why a bundle and not tsc's one-file-per-module output: a start loads 2,000 modules, 25 MB of JavaScript, and V8
 * keeps every module's source for as long as the process lives (functions are compiled on first call, from it).
 * Three quarters of it is @kubernetes/client-node, whose generated API classes and their doc comments cover every
 * Kubernetes API group while Deckhand calls three. Bundled, only what is reachable stays, without comments and
 * indentation, with short local names, and in ASCII (a module with a single character outside it is kept at two bytes
 * per character). Functions and classes keep their names, so stack traces still read; dist/*.map maps lines
 * back to the sources (node --enable-source-maps). Code is not otherwise rewritten (no minifier "compress" pass):
 * what runs is what the tests ran.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { build, type Plugin } from 'rolldown';
import { PACKAGE_ROOT } from '../src/package-root.ts';

/**
 * @kubernetes-models/validate 3.x's Node build loads a dependency through `createRequire(import.meta.url)`, which a
 * bundler cannot follow; its CommonJS build, next to it, requires it plainly. (Newer copies of the package, which
 * other @kubernetes-models packages depend on, have no such build and are left alone.)
 */
const COMMONJS_INSTEAD: Plugin = {
  name: 'commonjs-instead-of-create-require',
  async resolveId(source, importer, options) {
    if (source !== '@kubernetes-models/validate') return null;
    const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
    return resolved && /[/\\]dist[/\\]index\.node\.mjs$/.test(resolved.id) ? resolved.id.replace(/index\.node\.mjs$/, 'index.js') : resolved;
  },
};

/**
 * `charset: 'ascii'` escapes every string, template and regular expression except the quasis of tagged templates,
 * whose raw text a tag may read — and Deckhand's chat texts are tagged templates full of emoji and `·`. Node decodes
 * a module's file to a two-byte string as soon as it holds one character outside ASCII (Latin-1 included: measured,
 * the main chunk took 6.6 MB of heap for its 3.4 MB with three `·` in it). No tag Deckhand bundles reads `.raw`, so
 * the rest is escaped here, as `\uXXXX` per UTF-16 unit: the same text in a string, a template, a regular expression
 * (with or without `u`) and an identifier.
 */
const ASCII_ONLY: Plugin = {
  name: 'ascii-only',
  renderChunk(code) {
    return /[\u0080-\uffff]/.test(code) ? code.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : null;
  },
};

/** client-node's generated code (models, API classes, their barrels) has no import-time effects. */
const SIDE_EFFECT_FREE = /[/\\]node_modules[/\\]@kubernetes[/\\]client-node[/\\]dist[/\\]gen[/\\]/;

export interface BuildResult {
  /** The entry point: `node <entry> start`. */
  entry: string;
  files: string[];
  warnings: string[];
}

export async function buildBundle(outDir = join(PACKAGE_ROOT, 'dist')): Promise<BuildResult> {
  await rm(outDir, { recursive: true, force: true });
  const warnings: string[] = [];
  const output = await build({
    input: { deckhand: join(PACKAGE_ROOT, 'src/cli/main.ts') },
    cwd: PACKAGE_ROOT,
    platform: 'node',
    plugins: [COMMONJS_INSTEAD, ASCII_ONLY],
    // Optional native speed-ups their packages load in a try/catch, with a JavaScript fallback: not bundled, and
    // not needed at run time.
    external: [/^node:/, 'msgpackr-extract', 'zlib-sync', 'bufferutil', 'utf-8-validate'],
    treeshake: { moduleSideEffects: (id) => !SIDE_EFFECT_FREE.test(id) },
    onLog(level, log) {
      // discord.js's Client#_eval is its own debugging hook; the escapes above lengthen a line without moving it, so
      // the maps still find the line. Everything else is worth reading.
      if (log.code === 'EVAL' || (log.code === 'SOURCEMAP_BROKEN' && log.plugin === ASCII_ONLY.name)) return;
      warnings.push(`${level}: ${log.message.split('\n')[0]}`);
    },
    output: {
      dir: outDir,
      format: 'esm',
      // Each module's top level runs when first imported, as unbundled: the bot's start order is unchanged, and V8
      // compiles one module body at a time instead of one body the size of the bundle.
      strictExecutionOrder: true,
      charset: 'ascii',
      minify: { compress: false, mangle: { keepNames: true }, codegen: { removeWhitespace: true } },
      comments: false,
      sourcemap: true,
    },
  });
  const files = output.output.map((file) => file.fileName);
  return { entry: join(outDir, 'deckhand.js'), files, warnings };
}

if (import.meta.main) {
  const started = Date.now();
  const result = await buildBundle(process.argv[2]);
  for (const warning of result.warnings) process.stderr.write(`${warning}\n`);
  process.stdout.write(`built ${result.entry} (${result.files.filter((f) => f.endsWith('.js')).length} files) in ${Date.now() - started} ms\n`);
}
