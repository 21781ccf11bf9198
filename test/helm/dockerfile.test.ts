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
    expect(instructions('FROM')).toEqual(['${NODE_IMAGE} AS build', '${NODE_IMAGE} AS runtime']);
  });

  it('installs from the lockfile and bundles in the build stage; the runtime stage takes the bundle, no node_modules', () => {
    expect(dockerfile).toMatch(/^RUN npm ci\b/m);
    expect(instructions('RUN')).toContain('npm run build');
    const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'));
    expect(runtime).toContain('COPY --from=build /app/dist ./dist');
    expect(runtime).not.toMatch(/node_modules\s/);
  });

  it('runs as the numeric non-root user the chart expects', () => {
    const values = readValues() as { podSecurity: { runAsUser: number; runAsGroup: number } };
    expect(instructions('USER')).toEqual([`${values.podSecurity.runAsUser}:${values.podSecurity.runAsGroup}`]);
  });

  it("starts the bundle with bin/deckhand.js's V8 flags and the chart's default args", () => {
    const entrypoint = JSON.parse(instructions('ENTRYPOINT')[0] ?? '[]') as string[];
    expect(entrypoint[0]).toBe('node');
    expect(entrypoint.at(-1)).toBe('dist/deckhand.js');
    const shebangFlags = readFileSync(join(ROOT, 'bin/deckhand.js'), 'utf8').match(/^#!.*?node\s+(.*)$/m)?.[1]?.split(/\s+/) ?? [];
    expect(entrypoint.slice(1, -1)).toEqual(shebangFlags);
    expect(JSON.parse(instructions('CMD')[0] ?? '[]')).toEqual((readValues() as { args: string[] }).args);
  });

  it('copies only paths that exist and that .dockerignore lets through', () => {
    const sources = instructions('COPY').filter((c) => !c.startsWith('--from')).flatMap((c) => c.split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(3);
    // .dockerignore's own syntax for the cases it uses: `dir/`, `dir/*` with `!dir/file` exceptions after it.
    const ignored = (path: string): boolean => {
      let out = false;
      for (const pattern of dockerignore) {
        const negated = pattern.startsWith('!');
        const p = (negated ? pattern.slice(1) : pattern).replace(/\/$/, '');
        const hit = p === path.replace(/\/$/, '') || (p.endsWith('/*') && path.startsWith(p.slice(0, -1)));
        if (hit) out = !negated;
      }
      return out;
    };
    for (const s of sources) {
      expect(existsSync(join(ROOT, s)), s).toBe(true);
      expect(ignored(s), s).toBe(false);
    }
  });

  it('installs every workspace package and copies its sources into the build, without its tests', () => {
    const packages = readdirSync(join(ROOT, 'packages'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(packages.length).toBeGreaterThan(0);
    const copies = instructions('COPY');
    // npm ci needs every workspace's manifest to install from the lockfile; node_modules then links to packages/.
    for (const name of packages) expect(copies, name).toContain(`packages/${name}/package.json ./packages/${name}/`);
    expect(copies).toContain('packages ./packages');
    expect(dockerignore).toContain('packages/*/test/');
  });

  it('keeps secrets, local state and git out of the build context', () => {
    for (const pattern of ['**/.env', '**/.env.*', '.deckhand/', '.git/', 'node_modules/']) expect(dockerignore).toContain(pattern);
  });
});
