import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandSpec } from '../../src/cli/command-line.ts';
import { DECKHAND_COMMANDS } from '../../src/cli/deckhand-commands.ts';

// The real bin, through the Node the project installs, as a person at a terminal runs it.
const NODE = join(process.cwd(), 'node_modules', '.bin', 'node');
const BIN = join(process.cwd(), 'bin', 'deckhand.js');

function deckhand(args: readonly string[], env: NodeJS.ProcessEnv = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(NODE, [BIN, ...args], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every command of the tree, groups included, with its words after `deckhand`. */
function commands(spec: CommandSpec, path: readonly string[] = []): { path: readonly string[]; spec: CommandSpec }[] {
  return [{ path, spec }, ...(spec.subcommands ?? []).flatMap((sub) => commands(sub, [...path, sub.name]))];
}

const ALL = commands(DECKHAND_COMMANDS);
const LEAVES = ALL.filter((c) => !c.spec.subcommands);

describe('deckhand <command> --help', () => {
  it('covers every command the issue names, and each has a help', () => {
    const named = ['', 'start', 'check-config', 'sim', 'policy', 'policy test', 'policy eval', 'policy explain', 'policy conformance', 'policy serve',
      'audit', 'audit export', 'discord', 'discord register'];
    expect(ALL.map((c) => c.path.join(' '))).toEqual(expect.arrayContaining(named));
  });

  it.each(ALL.map((c) => ({ ...c, name: ['deckhand', ...c.path].join(' ') })))('$name --help: exit 0, what it does, its options with defaults, examples', ({ path, spec, name }) => {
    // A config that does not exist: help must not read it.
    const r = deckhand([...path, '--help'], { DECKHAND_CONFIG: '/nonexistent/deckhand.yaml' });

    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith(`${name} — ${spec.summary}\n`)).toBe(true);
    expect(r.stdout).toContain(`\nUsage: ${name}`);
    expect(r.stdout).toContain('-h, --help');
    for (const paragraph of spec.description ?? []) expect(r.stdout.replace(/\s+/g, ' ')).toContain(paragraph.replace(/\s+/g, ' '));
    if (spec.subcommands) {
      for (const sub of spec.subcommands) expect(r.stdout).toMatch(new RegExp(`\\n  ${sub.name}\\b`));
    } else {
      for (const o of spec.options ?? []) {
        expect(r.stdout).toContain(`--${o.name} ${o.value}`);
        if (o.default !== undefined) expect(r.stdout).toContain(`(default: ${o.default})`);
      }
      for (const a of spec.arguments ?? []) expect(r.stdout).toContain(a.required ? `<${a.name}>` : `[${a.name}]`);
      expect(spec.examples?.length).toBeGreaterThan(0);
      for (const e of spec.examples ?? []) expect(r.stdout).toContain(`\n  ${e.command}\n`);
    }
  });

  it.each([[[]], [['-h']], [['help']], [['help', 'policy', 'eval']], [['policy', 'eval', '-h']], [['start', '--bogus', '--help']]])('deckhand %j shows a help with exit 0', (args) => {
    const r = deckhand(args);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^deckhand.* — /);
    expect(r.stderr).toBe('');
  });

  it('help of a command and `deckhand help <command>` are the same text', () => {
    expect(deckhand(['help', 'audit', 'export']).stdout).toBe(deckhand(['audit', 'export', '--help']).stdout);
  });

  it('--version names the version and the Node', () => {
    const r = deckhand(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`deckhand 0.1.0 (Node ${process.versions.node})\n`);
  });
});

describe('mistakes on the command line', () => {
  it.each(LEAVES.map((c) => ({ path: c.path, name: ['deckhand', ...c.path].join(' ') })))('$name --bogus: exit 2, naming the option and pointing at --help', ({ path, name }) => {
    const r = deckhand([...path, '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${name}: unknown option --bogus. See \`${name} --help\`.\n`);
  });

  it.each([
    [['bogus'], 'deckhand: unknown command "bogus". The commands are start, sim, check-config, policy, audit, discord and version. See `deckhand --help`.'],
    [['--bogus'], 'deckhand: unknown option --bogus. The commands are start, sim, check-config, policy, audit, discord and version. See `deckhand --help`.'],
    [['policy'], 'deckhand policy: which one: test, eval, explain, conformance or serve? See `deckhand policy --help`.'],
    [['policy', '--bogus'], 'deckhand policy: unknown option --bogus. The commands are test, eval, explain, conformance and serve. See `deckhand policy --help`.'],
    [['policy', 'eval'], 'deckhand policy eval: QUERY is missing: a Rego reference or query. See `deckhand policy eval --help`.'],
    [['policy', 'conformance'], 'deckhand policy conformance: DIR is missing: the folder of OPA\'s cases (searched recursively for .yaml files). See `deckhand policy conformance --help`.'],
    [['policy', 'test', 'a', 'b'], 'deckhand policy test: unexpected argument "b". See `deckhand policy test --help`.'],
    [['check-config', 'deckhand.yaml'], 'deckhand check-config: unexpected argument "deckhand.yaml". See `deckhand check-config --help`.'],
    [['sim', '--port', '99999'], 'deckhand sim: --port 99999: a port is a whole number from 1 to 65535. See `deckhand sim --help`.'],
    [['start', '--config'], 'deckhand start: --config needs a value: --config FILE. See `deckhand start --help`.'],
    [['audit'], 'deckhand audit: which one: export? See `deckhand audit --help`.'],
  ])('deckhand %j: exit 2 and one line that says what is wrong', (args, message) => {
    const r = deckhand(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${message}\n`);
  });

  it('a folder that is not there is named, not an ENOENT', () => {
    const r = deckhand(['policy', 'conformance', '/nonexistent/cases']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('deckhand policy conformance: there is no folder /nonexistent/cases.\n');
  });
});
