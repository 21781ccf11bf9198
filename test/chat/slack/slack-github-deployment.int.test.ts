import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimGitHub, type SimGitHub } from '@deckhand/sim/github';
import { simGitHubOptionsFromConfig } from '../../../src/sandbox/sim-github-options-from-config.ts';
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
    // The outcome is reported once the deploy has ended (after its lock is released), so it may still be on its way.
    const success = () => github.deploymentsOf('acme/api').at(-1)?.statuses.find((s) => s.state === 'success');
    await expect.poll(() => success()?.logUrl, { timeout: 10_000 }).toBe(`https://acme.slack.com/archives/${String(card.args.channel)}/p${String(card.result?.ts ?? '').replace('.', '')}`);
    expect(success()?.environmentUrl).toBe(success()?.logUrl);
  });

  it('given a deploy that ends before its card has a link (Slack rate-limits the permalink), the final status still carries it', async () => {
    world.slack.rateLimit('chat.getPermalink', 1, 2);
    await world.command('alice', '/deploy api v1.5.0 to staging');
    expect((await world.waitForPhase('1', ['succeeded', 'failed'], 30_000)).phase).toBe('succeeded');
    // The deploy ended while the permalink was still held back by the rate limit.
    expect(world.slack.callsTo('chat.getPermalink').filter((c) => c.result?.ok === true)).toHaveLength(0);

    const card = await world.cardPost('1');
    const permalink = `https://acme.slack.com/archives/${String(card.args.channel)}/p${String(card.result?.ts ?? '').replace('.', '')}`;
    await expect.poll(() => github.deploymentsOf('acme/api').at(-1)?.statuses.find((s) => s.state === 'success')?.logUrl, { timeout: 10_000 }).toBe(permalink);
  });
});
