import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const HOOK = join(process.cwd(), 'bin', 'stripped-sources.js');
const NODE = join(process.cwd(), 'node_modules', '.bin', 'node');

/** Runs a .ts module in a fresh Node with the hook in place; the module prints its value and whether the stripper loaded. */
function run(dir: string, file: string): string {
  const script = `await import(${JSON.stringify(HOOK)}); await import(${JSON.stringify(file)});`;
  return execFileSync(NODE, ['--input-type=module', '-e', script], { env: { ...process.env, DECKHAND_TS_CACHE: join(dir, 'cache') }, encoding: 'utf8' }).trim();
}

const moduleText = (value: number): string =>
  `const value: number = ${value};\nconst stripper: boolean = process.moduleLoadList.some((m) => m.includes('amaro'));\nconsole.log(JSON.stringify({ value, stripper }));\n`;

describe('stripped TypeScript sources', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'deckhand-ts-')); });
  afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

  it('strips a file once, and a later start runs it from the cache without loading the type stripper', () => {
    const file = join(dir, 'mod.ts');
    writeFileSync(file, moduleText(1));
    expect(JSON.parse(run(dir, file))).toEqual({ value: 1, stripper: true });
    expect(readdirSync(join(dir, 'cache'))).toHaveLength(1);
    expect(JSON.parse(run(dir, file))).toEqual({ value: 1, stripper: false });
  });

  it('never runs a stale copy: a changed file is stripped again', () => {
    const file = join(dir, 'mod.ts');
    writeFileSync(file, moduleText(1));
    run(dir, file);
    writeFileSync(file, moduleText(2));
    expect(JSON.parse(run(dir, file))).toEqual({ value: 2, stripper: true });
    expect(JSON.parse(run(dir, file))).toEqual({ value: 2, stripper: false });
  });

  it('keeps line numbers, so stack traces point into the .ts file', () => {
    const file = join(dir, 'throws.ts');
    writeFileSync(file, 'interface Shape {\n  side: number;\n}\nconst s: Shape = { side: 1 };\nconsole.log(new Error(`side ${s.side}`).stack?.split("\\n")[1]);\n');
    run(dir, file);
    expect(run(dir, file)).toContain('throws.ts:5:');
  });

  it('warming strips every source into the cache and drops entries no source matches any more', () => {
    const cache = join(dir, 'cache');
    const warmUp = (): string => execFileSync(NODE, [HOOK], { env: { ...process.env, DECKHAND_TS_CACHE: cache }, encoding: 'utf8' });
    const first = Number(/^(\d+) TypeScript files/.exec(warmUp())?.[1]);
    expect(first).toBeGreaterThan(100);
    writeFileSync(join(cache, 'left-from-an-old-edit.js'), 'export {};');
    warmUp();
    expect(readdirSync(cache)).toHaveLength(first);
    expect(readdirSync(cache)).not.toContain('left-from-an-old-edit.js');
  });

  it('warming covers the workspace packages, reached by name through their node_modules link', () => {
    const env = { ...process.env, DECKHAND_TS_CACHE: join(dir, 'cache') };
    execFileSync(NODE, [HOOK], { env });
    const script = `await import(${JSON.stringify(HOOK)}); const rego = await import('@deckhand/rego');\n`
      + `console.log(JSON.stringify({ entry: typeof rego.compileModules, stripper: process.moduleLoadList.some((m) => m.includes('amaro')) }));`;
    const out = execFileSync(NODE, ['--input-type=module', '-e', script], { env, encoding: 'utf8' }).trim();
    expect(JSON.parse(out)).toEqual({ entry: 'function', stripper: false });
  });
});
