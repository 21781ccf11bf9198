import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDiscordApiServer, type DiscordApiServer } from '@deckhand/sim/discord';
import { startWorld, WORLD_CONFIG, worldConfig, type World } from '../helpers/world.ts';

type Embed = { title: string; description?: string };

/**
 * Deploying a version older than the running one (going back to one that ran before) is not a release with "no
 * changes": the card and the Discord notice say it goes back, and what it takes out.
 */
describe('going back to an older version, against the simulated GitHub and Discord', () => {
  let world: World;
  let discord: DiscordApiServer;
  const channel = '700000000000000001';
  beforeEach(async () => {
    discord = await startDiscordApiServer({ botToken: 'bot-token-123' });
    const config = worldConfig(`${WORLD_CONFIG}discord:\n  releases:\n    - { environments: [staging], webhook: '${discord.webhookUrl(channel)}' }\n`);
    world = await startWorld({ config, github: true });
  });
  afterEach(async () => {
    await world.stop();
    await discord.close();
  });

  const embeds = (): Embed[] => discord.channelMessages(channel).map((m) => (m.embeds as Embed[])[0]!);

  it('given v1.5.0 running, when v1.4.0 is deployed, then the card and the notice say it goes back and what comes out', async () => {
    await world.say('/deploy api v1.5.0 to staging');
    expect((await world.waitForPhase('1', ['succeeded', 'failed'], 30_000)).phase).toBe('succeeded');

    await world.say('/deploy api v1.4.0 to staging --reason "v1.5.0 breaks checkout"');
    await world.say('@bob /approve 2');
    expect((await world.waitForPhase('2', ['succeeded', 'failed'], 30_000)).phase).toBe('succeeded');
    await world.app.cards.flush();
    await world.app.notices();

    const card = world.output().slice(world.output().indexOf('[#2 '));
    expect(card).toMatch(/⚠️ v1\.5\.0 → v1\.4\.0 is a downgrade: going back to it takes out \d+ commits?\n/);
    expect(card).toContain('/compare/v1.4.0...v1.5.0');
    expect(card).not.toContain('No changes');
    // The notice is sent once the end is announced, a moment after the record says so.
    await expect.poll(() => embeds().length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    const [forward, back] = embeds();
    expect(forward?.title).toBe('✅ api v1.5.0 released to staging');
    expect(back?.title).toBe('⏪ api went back to v1.4.0 in staging (from the newer v1.5.0)');
    expect(back?.description).toMatch(/\*\*Taken out\*\*\n⚠️ v1\.5\.0 → v1\.4\.0 is a downgrade: going back to it takes out \d+ commits?/);
    expect(back?.title).not.toContain('released');
  });
});
