import { describe, expect, it } from 'vitest';
import { RegoCompileError } from '@deckhand/rego';
import { createEmbeddedBackend } from '../../src/policy/index.ts';

describe('a policy bundle whose data and rules claim the same document', () => {
  it('is refused at compile time, as OPA refuses it, instead of one silently shadowing the other', () => {
    const modules = [{ path: 'deploy.rego', source: 'package deckhand.deploy\n\nlimit := 3\n' }];
    let caught: unknown;
    try {
      createEmbeddedBackend({ modules, data: { deckhand: { deploy: { limit: 5 } } } });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(RegoCompileError);
    expect(String((caught as Error).message)).toMatch(/conflicting rule for data path deckhand\/deploy\/limit found/);
  });

  it('compiles when the data sits beside the rules', () => {
    const modules = [{ path: 'deploy.rego', source: 'package deckhand.deploy\n\nlimit := data.deckhand.settings.limit\n' }];
    const backend = createEmbeddedBackend({ modules, data: { deckhand: { settings: { limit: 5 } } } });
    expect(backend.policy.packages).toContain('deckhand.deploy');
  });
});
