import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSupportedNode, nodeVersionProblem } from '../../bin/node-version.js';

const SYSTEM_NODE = '/usr/bin/node';
const systemVersion = existsSync(SYSTEM_NODE) ? spawnSync(SYSTEM_NODE, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim() : '';
const systemMajor = Number(systemVersion.split('.')[0]);

describe('the Node version check of bin/deckhand.js', () => {
  it.each([
    ['20.20.2', false], ['18.0.0', false], ['22.18.1', false], ['22.19.0', true], ['22.22.2', true],
    ['23.5.0', false], ['23.6.0', true], ['24.0.0', true], ['24.21.0', true], ['25.1.0', true], ['v24.1.0', true], ['', false], ['banana', false],
  ])('Node %s runs Deckhand: %s', (version, supported) => {
    expect(isSupportedNode(version)).toBe(supported);
  });

  it('tells someone on an old Node what to run instead', () => {
    expect(nodeVersionProblem('20.20.2')).toBe('Deckhand needs Node 24 (22.19 at least); this is Node 20.20.2.\n'
      + 'Use `npx deckhand …` in the project, which runs the Node 24 the project installs, or install Node 24.\n');
  });

  it('has nothing to say on the Node the project installs', () => {
    expect(nodeVersionProblem(process.versions.node)).toBeUndefined();
  });

  it.skipIf(!(systemMajor < 22))(`with this machine's older ${SYSTEM_NODE} (${systemVersion}), says Node 24 is needed and exits 1`, () => {
    const r = spawnSync(SYSTEM_NODE, [join(process.cwd(), 'bin', 'deckhand.js'), 'start', '--help'], { encoding: 'utf8', timeout: 20_000 });

    expect(r.stderr).toBe(nodeVersionProblem(systemVersion));
    expect(r.stderr).not.toContain('SyntaxError');
    expect(r.stdout).toBe('');
    expect(r.status).toBe(1);
  });
});
