import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendInteraction, slashCommandInteraction } from '@deckhand/sim/discord';
import { APP_ID, CHANNEL, GUILD_ID, startDiscordWorld, USERS, type DiscordWorld } from '../helpers/discord-world.ts';

/**
 * Interactions carrying a valid Ed25519 signature but a timestamp outside ±5 minutes, or a body that is not an
 * interaction: refused, and the endpoint keeps serving.
 */
describe('Discord: signed but out of window, or signed but malformed', () => {
  let dw: DiscordWorld;
  beforeAll(async () => { dw = await startDiscordWorld(); });
  afterAll(async () => { await dw.stop(); });

  const deploy = () => slashCommandInteraction({ user: USERS.alice, channelId: CHANNEL, guildId: GUILD_ID, applicationId: APP_ID, name: 'deploy', options: { args: 'api v1.5.0 to staging' } });

  it.each([
    ['6 minutes ahead', 6 * 60],
    ['a day ahead', 86_400],
    ['6 minutes ago', -6 * 60],
  ])('refuses a validly signed command stamped %s with 401', async (_name, offsetSec) => {
    const sent = await sendInteraction(dw.adapter.url!, deploy(), dw.signer, { timestamp: String(Math.floor(Date.now() / 1000) + offsetSec) });
    expect(sent.status).toBe(401);
    expect(await dw.world.app.deploys.list()).toEqual([]);
  });

  /** Written out by hand: JSON.stringify itself would overflow on it. */
  const nested = (depth: number): string => `${'{"name":"x","type":1,"options":['.repeat(depth)}{"name":"x","type":1}${']}'.repeat(depth)}`;
  it.each([
    ['null', 'null'],
    ['a list', '[]'],
    ['a string', '"deploy"'],
    ['an empty object', '{}'],
    ['not JSON', '{"type":2,'],
    ['a command without data', JSON.stringify({ type: 2, id: '1', application_id: APP_ID, token: 't' })],
    ['a click with data: null', JSON.stringify({ type: 3, id: '1', application_id: APP_ID, token: 't', data: null })],
    ['an unknown type', JSON.stringify({ type: 99, id: '1', application_id: APP_ID })],
    ['options nested 20,000 deep', JSON.stringify({ ...deploy(), data: { name: 'deploy', type: 1, options: [] } }).replace('"options":[]', `"options":[${nested(20_000)}]`)],
  ])('answers a validly signed body that is %s with 400', async (_name, body) => {
    const res = await fetch(dw.adapter.url!, { method: 'POST', headers: { 'content-type': 'application/json', ...dw.signer.sign(body) }, body });
    expect(res.status).toBe(400);
  });

  it('keeps serving: a signed, current command after all of the above is answered', async () => {
    const sent = await dw.slash(USERS.alice, 'help');
    expect(sent.status).toBe(200);
    expect(await dw.world.app.deploys.list()).toEqual([]);
  });
});
