import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, loadConfigText } from '../../src/config/index.ts';
import { catalogFromConfig, parseContextFromConfig, parseMessage } from '../../src/parse/index.ts';

describe('catalogFromConfig', () => {
  it('gives the parser what it needs from the example deckhand.yaml', async () => {
    const result = await loadConfig({ path: join(import.meta.dirname, '../../deckhand.yaml'), env: {} });
    if (!result.ok) throw new Error('example config should load');
    const catalog = catalogFromConfig(result.config);
    expect(catalog.services.api).toEqual({
      environments: ['staging', 'production'],
      versionPattern: '^v\\d+\\.\\d+\\.\\d+$',
      defaultStrategy: 'rolling',
      defaultEnv: 'staging',
    });
    expect(catalog.services.worker?.versionExample).toBe('2.3.0');
  });

  it('is built once per config: the same catalog for every message, a new one after a reload', async () => {
    const path = join(import.meta.dirname, '../../deckhand.yaml');
    const first = await loadConfig({ path, env: {} });
    const reloaded = await loadConfig({ path, env: {} });
    if (!first.ok || !reloaded.ok) throw new Error('example config should load');
    expect(catalogFromConfig(first.config)).toBe(catalogFromConfig(first.config));
    expect(catalogFromConfig(reloaded.config)).not.toBe(catalogFromConfig(first.config));
    expect(catalogFromConfig(reloaded.config)).toEqual(catalogFromConfig(first.config));
  });

  it.each([
    ['staging when the service has it', '{ production: E, staging: E }', undefined, 'staging'],
    ['the configured defaultEnv first', '{ staging: E, qa: E }', 'qa', 'qa'],
    ['the only environment', '{ production: E }', undefined, 'production'],
    ['none when there are several and no staging', '{ qa: E, production: E }', undefined, undefined],
  ])('defaults the environment to %s', (_name, envs, defaultEnv, expected) => {
    const text = `services:
  api:
    team: t
    repository: a/b
    image: registry.local/a/b
    versionPattern: 'v.*'
${defaultEnv === undefined ? '' : `    defaultEnv: ${defaultEnv}\n`}    environments: ${envs.replaceAll('E', '{ namespace: n, deployment: d, container: c, replicas: 1 }')}
`;
    const result = loadConfigText(text, 'x.yaml', {});
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(catalogFromConfig(result.config).services.api?.defaultEnv).toBe(expected);
  });

  it('builds a parse context that knows the bot name from config', () => {
    const result = loadConfigText(`services:
  api: { team: t, repository: a/b, image: registry.local/a/b, versionPattern: 'v.*', environments: { staging: { namespace: n, deployment: d, container: c, replicas: 1 } } }
chat: { botName: shipit }
`, 'x.yaml', {});
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const ctx = parseContextFromConfig(result.config, { addressed: false, botUserId: 'U1' });
    expect(parseMessage('@shipit status', ctx)).toEqual({ kind: 'command', command: { verb: 'status' } });
    expect(parseMessage('/shipit status api', ctx)).toEqual({ kind: 'command', command: { verb: 'status', service: 'api' } });
    expect(parseMessage('<@U1> status', ctx)).toEqual({ kind: 'command', command: { verb: 'status' } });
    expect(parseMessage('@deckhand status', ctx)).toEqual({ kind: 'not_for_us' });
  });
});
