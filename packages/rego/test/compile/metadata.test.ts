/** `# METADATA` annotations and rego.metadata.rule() / rego.metadata.chain(), as OPA builds them. */
import { describe, expect, it } from 'vitest';
import { compileModules, RegoCompileError, toJSON } from '../../src/index.ts';

const SOURCE = `# METADATA
# title: Deploy gates
package deckhand.gates

# METADATA
# title: Freeze
# description: No deploys during a freeze
# authors:
# - Ann Lee <ann@example.com>
# - Ops Team
# related_resources:
# - https://runbooks.example.com/freeze
# custom:
#   severity: high
frozen := rego.metadata.rule()

plain := rego.metadata.rule()

chain := rego.metadata.chain()

# METADATA
# scope: document
# title: Denials
deny contains msg if {
  msg := rego.metadata.chain()[1].annotations.title
}
`;

describe('annotations', () => {
  const policy = compileModules([{ path: 'gates.rego', source: SOURCE }]);
  const doc = toJSON(policy.evalPath('deckhand/gates')!) as Record<string, unknown>;

  it('rego.metadata.rule() gives the rule scope annotation, normalised as OPA (authors, related resources)', () => {
    expect(doc['frozen']).toEqual({
      scope: 'rule', title: 'Freeze', description: 'No deploys during a freeze',
      authors: [{ name: 'Ann Lee', email: 'ann@example.com' }, { name: 'Ops Team' }],
      related_resources: [{ ref: 'https://runbooks.example.com/freeze' }],
      custom: { severity: 'high' },
    });
    expect(doc['plain']).toEqual({});
  });

  it('rego.metadata.chain() starts at the rule and walks out to its package', () => {
    expect(doc['chain']).toEqual([
      { path: ['deckhand', 'gates', 'chain'] },
      { path: ['deckhand', 'gates'], annotations: { scope: 'package', title: 'Deploy gates' } },
    ]);
    expect(doc['deny']).toEqual(['Denials']);
  });

  it('rejects a scope that does not fit the target, and broken YAML', () => {
    const errs = (source: string): string[] => {
      try { compileModules([{ path: 'x.rego', source }]); return []; } catch (e) {
        if (e instanceof RegoCompileError) return e.errors.map((x) => x.message);
        throw e;
      }
    };
    expect(errs('package t\n# METADATA\n# scope: package\np := 1')[0]).toMatch(/^x\.rego:2: rego_parse_error: invalid annotation scope 'package'/);
    expect(errs('package t\n# METADATA\n# title: [unclosed\np := 1')[0]).toMatch(/^x\.rego:2: rego_parse_error: yaml: /);
  });
});
