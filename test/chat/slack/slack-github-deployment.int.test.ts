import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { simGitHubOptionsFromConfig, startSimGitHub, type SimGitHub } from '../../../src/sim/github/index.ts';
import { startSlackWorld, type SlackWorld } from '../../helpers/slack-world.ts';
import { worldConfig } from '../../helpers/world.ts';

describe('GitHub deployments link back to the Slack card', () => {
  let world: SlackWorld;
  let github: SimGitHub;
  beforeEach(async () => {
    const config = worldConfig();
    github = await startSimGitHub(simGitHubOptionsFromConfig(config));
    world = await startSlackWorld({ config, deckhand: { github: { apiUrl: github.url, registryEndpoint: () => github.url } } });
  });
  afterEach(async () => {
    await world.stop();
    await github.close();
  });

  it('given a deploy from Slack, its GitHub deployment statuses carry the card permalink', async () => {
    await world.command('alice', '/deploy api v1.5.0 to staging');
    expect((await world.waitForPhase('1', ['succeeded', 'failed'], 30_000)).phase).toBe('succeeded');

    const card = await world.cardPost('1');
    const statuses = github.deploymentsOf('acme/api').at(-1)?.statuses ?? [];
    const success = statuses.find((s) => s.state === 'success');
    expect(success?.logUrl).toBe(`https://acme.slack.com/archives/${String(card.args.channel)}/p${String(card.result?.ts ?? '').replace('.', '')}`);
    expect(success?.environmentUrl).toBe(success?.logUrl);
  });
});
