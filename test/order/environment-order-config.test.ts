import { describe, expect, it } from 'vitest';
import { formatConfigProblems, loadConfigText } from '../../src/config/index.ts';

/** One service with staging and production; `production` and `staging` are the environments' extra YAML. */
const config = (production: string, staging = ''): string => `
services:
  api:
    team: payments
    repository: acme/api
    image: registry.local/acme/api
    versionPattern: '^v\\d+\\.\\d+\\.\\d+$'
    environments:
      staging: { namespace: staging, deployment: api, container: api, replicas: 1${staging} }
      production: { namespace: production, deployment: api, container: api, replicas: 1${production} }
`;

function problems(text: string): string[] {
  const result = loadConfigText(text, 'deckhand.yaml', {});
  return result.ok ? [] : formatConfigProblems(result.problems).split('\n');
}

describe('environment order in deckhand.yaml (`requires: {after, soak}`)', () => {
  it('reads the earlier environment and the soak, in milliseconds; no soak means none', () => {
    const soaked = loadConfigText(config(', requires: { after: staging, soak: 30m }'), 'deckhand.yaml', {});
    const plain = loadConfigText(config(', requires: { after: staging }'), 'deckhand.yaml', {});
    if (!soaked.ok || !plain.ok) throw new Error('expected both to load');
    expect(soaked.config.services.api?.environments.production?.requires).toEqual({ after: 'staging', soakMs: 30 * 60_000 });
    expect(plain.config.services.api?.environments.production?.requires).toEqual({ after: 'staging', soakMs: 0 });
    expect(plain.config.services.api?.environments.staging?.requires).toBeUndefined();
  });

  it.each([
    ['an environment the service does not have', config(', requires: { after: stagin }'),
      ['deckhand.yaml:10:109: services.api.environments.production.requires.after: `stagin` is not one of this service\'s environments (staging, production)']],
    ['itself', config(', requires: { after: production }'),
      ['deckhand.yaml:10:109: services.api.environments.production.requires.after: `production` cannot require itself; name the environment that comes before it (staging)']],
    ['a circle', config(', requires: { after: staging }', ', requires: { after: production }'),
      [
        'deckhand.yaml:9:103: services.api.environments.staging.requires.after: environment order goes round in a circle (staging after production after staging): one of them must come first',
        'deckhand.yaml:10:109: services.api.environments.production.requires.after: environment order goes round in a circle (production after staging after production): one of them must come first',
      ]],
    ['a soak that is not a duration', config(', requires: { after: staging, soak: half an hour }'),
      ['deckhand.yaml:10:124: services.api.environments.production.requires.soak: expected a duration like 30m, 1h or 90s']],
    ['a misspelt key, with the key meant', config(', requires: { aftr: staging }'),
      expect.arrayContaining([expect.stringContaining('services.api.environments.production.requires: unknown key `aftr`; did you mean `after`?')])],
    ['a misspelt `requires`, with the key meant', config(', require: { after: staging }'),
      ['deckhand.yaml:10:90: services.api.environments.production: unknown key `require`; did you mean `requires`?']],
  ])('names the service and the field for %s', (_what, text, expected) => {
    expect(problems(text)).toEqual(expected);
  });
});
