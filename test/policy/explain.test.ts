import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { explainQuery, formatExplanation, fromJSON, type Explanation, type RuleExplanation } from '@deckhand/rego';
import { readPolicies } from '../../src/policy/index.ts';

// The shipped policies' decisions, explained: the three stories the README tells (a stranger, approvals, a freeze).
const shipped = await readPolicies('policies');
const data = fromJSON(shipped.data);

interface Person { id: string; name: string; groups: string[] }
interface Freeze { env: string; from: string; until?: string; reason?: string; by: string }
const nobody: Person[] = [];
const noFreezes: Freeze[] = [];

const base = {
  action: 'deploy',
  request: { service: 'api', env: 'production', version: 'v1.5.0', strategy: 'rolling', dry_run: false },
  requester: { id: 'alice', name: 'alice', groups: ['payments'] },
  service: { name: 'api', team: 'payments', environments: ['staging', 'production'] },
  approvals: nobody,
  freezes: noFreezes,
  now: '2026-11-18T10:00:00Z',
};
const bob = { id: 'bob', name: 'bob', groups: ['approvers'] };
const carol = { id: 'carol', name: 'carol', groups: ['approvers', 'oncall'] };

function explain(input: object, query = 'data.deckhand.deploy.decision'): Explanation {
  return explainQuery(shipped.modules, query, { input: fromJSON(input), data });
}

/** The rule at `file:row` (a file name of policies/). */
function rule(x: Explanation, file: string, row: number): RuleExplanation | undefined {
  return x.rules.find((r) => r.file.endsWith(`/${file}`) && r.row === row);
}

function rowOf(file: string, text: string): number {
  const source = shipped.modules.find((m) => m.path.endsWith(`/${file}`))?.source ?? '';
  return source.split('\n').findIndex((l) => l.startsWith(text)) + 1;
}

const OWNER_ONLY = rowOf('deploy.rego', 'deny contains {"rule": "owner_only"');
const FREEZE = rowOf('deploy.rego', 'deny contains {"rule": "freeze"');
const ALLOW = rowOf('deploy.rego', 'allow if {');

describe('deckhand policy explain, on the shipped policies', () => {
  it('a stranger: owner_only fired with its message; allow did not, failing at count(deny) == 0', () => {
    const x = explain({ ...base, requester: { id: 'mallory', name: 'mallory', groups: [] } });

    expect(x.result).toMatchObject({ allow: false, deny: [{ rule: 'owner_only' }] });
    expect(x.packages).toEqual(['deckhand.deploy', 'deckhand.lib']);
    expect(rule(x, 'deploy.rego', OWNER_ONLY)).toMatchObject({
      fired: true, kind: 'multi', values: [{ rule: 'owner_only', message: 'Only the payments team or on-call (oncall) may deploy api.' }],
    });
    expect(rule(x, 'deploy.rego', ALLOW)).toMatchObject({ fired: false, failed: { row: ALLOW + 1, text: 'count(deny) == 0' } });
    expect(rule(x, 'lib.rego', rowOf('lib.rego', 'requester_is_owner if'))).toMatchObject({ fired: false, failed: { text: 'input.service.team in input.requester.groups' } });
    const text = formatExplanation(x);
    expect(text).toContain(`deploy.rego:${OWNER_ONLY}  data.deckhand.deploy.deny  deny contains {"rule": "owner_only"`);
    expect(text).toContain(`failed: policies/deploy.rego:${ALLOW + 1}:2  count(deny) == 0`);
  });

  it('the owner with an approval: allow fired; owner_only did not, failing where the requester is an owner', () => {
    const x = explain({ ...base, approvals: [bob] });

    expect(x.result).toMatchObject({ allow: true, deny: [], approvals: { required: 1, have: 1 } });
    expect(rule(x, 'deploy.rego', ALLOW)).toMatchObject({ fired: true, values: [true] });
    expect(rule(x, 'deploy.rego', OWNER_ONLY)).toMatchObject({ fired: false, failed: { row: OWNER_ONLY + 2, text: 'not lib.requester_is_owner' } });
    expect(rule(x, 'deploy.rego', rowOf('deploy.rego', 'approvals_met if'))).toMatchObject({ fired: true });
  });

  it('a freeze with a hotfix reason: the freeze denial did not fire (not lib.hotfix failed), two approvals are needed', () => {
    const frozen = { ...base, freezes: [{ env: 'production', from: '2026-11-18T09:00:00Z', until: '2026-11-18T18:00:00Z', reason: 'sale', by: 'carol' }] };
    const hotfix = { ...frozen, request: { ...base.request, reason: 'payment outage' } };

    const plain = explain(frozen);
    expect(rule(plain, 'deploy.rego', FREEZE)).toMatchObject({ fired: true, values: [expect.objectContaining({ rule: 'freeze' })] });

    const one = explain({ ...hotfix, approvals: [bob] });
    expect(one.result).toMatchObject({ allow: false, deny: [], approvals: { required: 2, have: 1 } });
    expect(rule(one, 'deploy.rego', FREEZE)).toMatchObject({ fired: false, failed: { row: FREEZE + 2, text: 'not lib.hotfix' } });
    expect(rule(one, 'deploy.rego', rowOf('deploy.rego', 'hotfix_needed if'))).toMatchObject({ fired: true });
    expect(rule(one, 'lib.rego', rowOf('lib.rego', 'frozen if'))).toMatchObject({ fired: true });
    expect(rule(one, 'deploy.rego', ALLOW)).toMatchObject({ fired: false, failed: { text: 'approvals_met' } });

    const two = explain({ ...hotfix, approvals: [bob, carol] });
    expect(two.result).toMatchObject({ allow: true, approvals: { required: 2, have: 2 } });
  });

  it('the modes: fails shows only the rules that did not fire, notes only those that did', () => {
    const x = explain({ ...base, requester: { id: 'mallory', name: 'mallory', groups: [] } });
    const fails = formatExplanation(x, 'fails');
    const notes = formatExplanation(x, 'notes');
    expect(fails).toContain('Did not fire (');
    expect(fails).not.toContain('Fired (');
    expect(notes).toContain('Fired (');
    expect(notes).not.toContain('Did not fire (');
  });
});

describe('deckhand policy explain, the command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deckhand-explain-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const NODE = join(process.cwd(), 'node_modules', '.bin', 'node');
  const BIN = join(process.cwd(), 'bin', 'deckhand.js');
  const run = (args: readonly string[]): { code: number | null; stdout: string; stderr: string } => {
    const r = spawnSync(NODE, [BIN, 'policy', 'explain', ...args], { encoding: 'utf8', timeout: 20_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  // Each spawns the real bin through the project's Node: seconds on a busy machine.
  it('prints the decision and why, exit 0; --format json gives the same as data', { timeout: 60_000 }, () => {
    const input = join(dir, 'stranger.json');
    writeFileSync(input, JSON.stringify({ ...base, requester: { id: 'mallory', name: 'mallory', groups: [] } }));

    const text = run(['--input', input]);
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^data\.deckhand\.deploy\.decision = \{"allow":false/);
    expect(text.stdout).toContain(`deploy.rego:${OWNER_ONLY}  data.deckhand.deploy.deny`);

    const json = run(['--input', input, '--format', 'json', '--explain', 'fails']);
    expect(json.code).toBe(0);
    const parsed: unknown = JSON.parse(json.stdout);
    expect(parsed).toMatchObject({ query: 'data.deckhand.deploy.decision', result: { allow: false } });
  });

  it('an undefined document exits 1; a bundle that is not there is one line, exit 1', { timeout: 60_000 }, () => {
    expect(run(['data.deckhand.deploy.nothing_here']).code).toBe(1);
    const missing = run(['--dir', join(dir, 'none.tar.gz')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^The policy bundle .*none\.tar\.gz cannot be read\.\n$/);
  });
});

describe('explain, when the document cannot be evaluated', () => {
  it('names the conflict, and shows both rules that produced it', () => {
    const modules = [{ path: 'c.rego', source: 'package c\n\np := 1 if input.a\n\np := 2 if input.b\n' }];
    const x = explainQuery(modules, 'data.c.p', { input: fromJSON({ a: true, b: true }) });
    expect(x.error).toMatch(/^c\.rego:\d+: eval_conflict_error: /);
    expect(x.rules.map((r) => [r.row, r.fired, r.values])).toEqual([[3, true, [1]], [5, true, [2]]]);
    expect(formatExplanation(x)).toMatch(/^data\.c\.p: c\.rego:\d+: eval_conflict_error: /);
  });
});
