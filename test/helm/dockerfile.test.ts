import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readValues, ROOT } from './chart.ts';

// No Docker engine here: the Dockerfile is checked as text, and against the chart that runs the image.
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const dockerignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
const instructions = (name: string): string[] => [...dockerfile.matchAll(new RegExp(`^${name}\\s+(.+)$`, 'gm'))].map((m) => m[1] ?? '');

describe('Dockerfile', () => {
  it('is multi-stage on a Node 24 base', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:24[-\w.]*$/m);
    expect(instructions('FROM')).toEqual(['${NODE_IMAGE} AS deps', '${NODE_IMAGE} AS runtime']);
  });

  it('installs production dependencies only, from the lockfile', () => {
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
  });

  it('runs as the numeric non-root user the chart expects', () => {
    const values = readValues() as { podSecurity: { runAsUser: number; runAsGroup: number } };
    expect(instructions('USER')).toEqual([`${values.podSecurity.runAsUser}:${values.podSecurity.runAsGroup}`]);
  });

  it("starts bin/deckhand.js with the chart's default args", () => {
    const entrypoint = JSON.parse(instructions('ENTRYPOINT')[0] ?? '[]') as string[];
    expect(entrypoint[0]).toBe('node');
    expect(entrypoint.at(-1)).toBe('bin/deckhand.js');
    expect(JSON.parse(instructions('CMD')[0] ?? '[]')).toEqual((readValues() as { args: string[] }).args);
  });

  it('copies only paths that exist and that .dockerignore lets through', () => {
    const sources = instructions('COPY').filter((c) => !c.startsWith('--from')).flatMap((c) => c.split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(3);
    for (const s of sources) {
      expect(existsSync(join(ROOT, s)), s).toBe(true);
      expect(dockerignore.some((pattern) => pattern.replace(/\/$/, '') === s.replace(/\/$/, '')), s).toBe(false);
    }
  });

  it('installs every workspace package and copies its sources into the image, without its tests', () => {
    const packages = readdirSync(join(ROOT, 'packages'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(packages.length).toBeGreaterThan(0);
    const copies = instructions('COPY');
    // npm ci needs every workspace's manifest to install from the lockfile; node_modules then links to packages/.
    for (const name of packages) expect(copies, name).toContain(`packages/${name}/package.json ./packages/${name}/`);
    expect(copies).toContain('packages ./packages');
    expect(dockerignore).toContain('packages/*/test/');
    // The runtime stage takes only the root node_modules from the deps stage: a dependency npm could not hoist
    // (packages/<name>/node_modules in the lockfile) would be missing from the image.
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
    expect(Object.keys(lock.packages).filter((path) => /^packages\/[^/]+\/node_modules\//.test(path))).toEqual([]);
  });

  it('keeps secrets, local state and git out of the build context', () => {
    for (const pattern of ['**/.env', '**/.env.*', '.deckhand/', '.git/', 'node_modules/']) expect(dockerignore).toContain(pattern);
  });
});
