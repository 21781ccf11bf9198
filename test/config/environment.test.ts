import { describe, expect, it } from 'vitest';
import { formatConfigProblems, loadConfigText } from '../../src/config/index.ts';

const MINIMAL = `
services:
  api:
    team: payments
    repository: acme/api
    image: registry.local/acme/api
    versionPattern: '^v\\d+\\.\\d+\\.\\d+$'
    environments:
      staging: { namespace: staging, deployment: api, container: api, replicas: 1 }
`;

function envProblems(env: Record<string, string>): string[] {
  const result = loadConfigText(MINIMAL, 'deckhand.yaml', env);
  return result.ok ? [] : formatConfigProblems(result.problems).split('\n');
}

describe('environment variables', () => {
  it.each([
    [{ REDIS_URL: 'http://localhost:6379' }, ['environment: REDIS_URL must be a redis:// or rediss:// URL']],
    [{ REDIS_URL: 'not a url' }, ['environment: REDIS_URL must be a redis:// or rediss:// URL']],
    [{ PORT: '99999' }, ['environment: PORT must be a whole number from 1 to 65535']],
    [{ PORT: 'eighty' }, ['environment: PORT must be a whole number from 1 to 65535']],
    [{ WORKER_CONCURRENCY: '0' }, ['environment: WORKER_CONCURRENCY must be a whole number from 1 to 1000']],
    [{ WORKER_CONCURRENCY: 'lots' }, ['environment: WORKER_CONCURRENCY must be a whole number from 1 to 1000']],
    [{ LOG_LEVEL: 'loud' }, ['environment: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent']],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, ['environment: Slack needs SLACK_SIGNING_SECRET (HTTP events) or SLACK_APP_TOKEN (socket mode)']],
    [{ SLACK_SIGNING_SECRET: 's3cr3t-value' }, ['environment: SLACK_BOT_TOKEN is required when Slack is configured']],
    [{ SLACK_BOT_TOKEN: 'xoxp-user-token', SLACK_APP_TOKEN: 'xapp-1' }, ['environment: SLACK_BOT_TOKEN should start with `xoxb-`']],
    [{ DISCORD_BOT_TOKEN: 'abc' }, ['environment: DISCORD_APPLICATION_ID is required when DISCORD_BOT_TOKEN is set']],
    [{ GITHUB_API_URL: 'ftp://github.local' }, ['environment: GITHUB_API_URL must be an http:// or https:// URL']],
    [{ DECKHAND_CONFG: 'deckhand.yaml' }, ['environment: DECKHAND_CONFG is not a variable Deckhand reads; did you mean DECKHAND_CONFIG?']],
    [{ PROMETHEUS_URL: 'prometheus:9090', POLICY_URL: 'opa' }, [
      'environment: PROMETHEUS_URL must be an http:// or https:// URL',
      'environment: POLICY_URL must be an http:// or https:// URL',
    ]],
  ])('%o', (env, expected) => {
    expect(envProblems(env)).toEqual(expected);
  });

  it('never echoes a value in a problem', () => {
    const secret = 'xoxp-super-secret-value-123';
    const problems = envProblems({ SLACK_BOT_TOKEN: secret, SLACK_SIGNING_SECRET: secret, REDIS_URL: secret, GITHUB_API_URL: secret });
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) expect(problem).not.toContain(secret);
  });

  it('treats empty variables as unset', () => {
    expect(envProblems({ REDIS_URL: '', PORT: '', SLACK_BOT_TOKEN: '' })).toEqual([]);
  });

  it('groups valid variables by the part of Deckhand that uses them', () => {
    const result = loadConfigText(MINIMAL, 'deckhand.yaml', {
      REDIS_URL: 'rediss://cache:6380/0',
      PORT: '8080',
      WORKER_CONCURRENCY: '24',
      LOG_LEVEL: 'DEBUG',
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_APP_TOKEN: 'xapp-1',
      DISCORD_BOT_TOKEN: 'token',
      DISCORD_APPLICATION_ID: '1234',
      GITHUB_TOKEN: 'ghp_x',
      PROMETHEUS_URL: 'http://prometheus:9090',
      POLICY_URL: 'http://opa:8181',
      KUBERNETES_SERVICE_HOST: '10.0.0.1',
      DECKHAND_API_TOKEN: 'a-long-enough-api-token',
      UNRELATED: 'ignored',
    });
    if (!result.ok) throw new Error(formatConfigProblems(result.problems));
    expect(result.config.runtime).toEqual({
      redisUrl: 'rediss://cache:6380/0',
      port: 8080,
      workerConcurrency: 24,
      inCluster: true,
      apiToken: 'a-long-enough-api-token',
      logLevel: 'debug',
      slack: { botToken: 'xoxb-1', appToken: 'xapp-1', signingSecret: undefined, apiUrl: undefined },
      discord: { botToken: 'token', applicationId: '1234', publicKey: undefined, guildId: undefined, apiUrl: undefined },
      github: { token: 'ghp_x', apiUrl: undefined },
      prometheusUrl: 'http://prometheus:9090',
      policyUrl: 'http://opa:8181',
    });
  });
});
