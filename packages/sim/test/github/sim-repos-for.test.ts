import { describe, expect, it } from 'vitest';
import { simReposFor } from '../../src/github/index.ts';

const tagsOf = (history: { kind: string; name?: string }[]) => history.flatMap((h) => (h.kind === 'tag' ? [h.name] : []));

describe('simReposFor', () => {
  it('keeps the example history of a known repository, tagging further versions on top', () => {
    const [api] = simReposFor([{ repository: 'acme/api', built: ['v1.4.0', 'v1.5.0'], unbuilt: ['v1.6.0', 'v1.7.0'], failing: ['v1.7.0'] }]);
    expect(tagsOf(api?.history ?? [])).toEqual(['v1.3.0', 'v1.4.0', 'v1.5.0', 'v1.5.1', 'v1.5.2', 'v1.5.3', 'v1.6.0', 'v1.7.0']);
    expect(api).toMatchObject({ built: ['v1.4.0', 'v1.5.0'], failing: ['v1.7.0'] });
  });

  it('makes up one commit per version for any other repository', () => {
    const [other] = simReposFor([{ repository: 'corp/billing', built: ['1.0.0'], unbuilt: ['1.1.0'] }]);
    expect(tagsOf(other?.history ?? [])).toEqual(['1.0.0', '1.1.0']);
  });
});
