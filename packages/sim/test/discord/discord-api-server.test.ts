import { createPublicKey, verify } from 'node:crypto';
import { REST, Routes, WebhookClient } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createInteractionSigner, startDiscordApiServer, type DiscordApiServer } from '../../src/discord/index.ts';

describe('the simulated Discord API (spoken to by discord.js itself)', () => {
  let sim: DiscordApiServer;
  const printed: string[] = [];
  beforeEach(async () => {
    printed.length = 0;
    sim = await startDiscordApiServer({ botToken: 'tok', print: (t) => printed.push(t) });
  });
  afterEach(async () => { await sim.close(); });

  it('creates and edits channel messages as the bot, and prints the channel', async () => {
    const rest = new REST({ api: sim.apiUrl }).setToken('tok');
    const msg = await rest.post(Routes.channelMessages('555'), { body: { content: 'hello', embeds: [{ title: 'Card', fields: [{ name: 'Service', value: 'api' }] }], components: [{ type: 1, components: [{ type: 2, style: 1, label: 'Approve', custom_id: 'x' }] }] } }) as { id: string; channel_id: string };
    await rest.patch(Routes.channelMessage('555', msg.id), { body: { content: 'hello again' } });

    expect(msg.channel_id).toBe('555');
    expect(sim.channelMessages('555').map((m) => m.content)).toEqual(['hello again']);
    expect(printed).toEqual(['[discord #555] hello\n  Card\n  Service: api\n  [Approve]', '[discord #555 (edited)] hello again\n  Card\n  Service: api\n  [Approve]']);
    expect(sim.calls.map((c) => `${c.method} ${c.route} ${c.authorization}`)).toEqual([`POST /channels/555/messages Bot tok`, `PATCH /channels/555/messages/${msg.id} Bot tok`]);
  });

  it('refuses bot routes without the bot token, as Discord does', async () => {
    const rest = new REST({ api: sim.apiUrl, retries: 0 }).setToken('nope');
    await expect(rest.post(Routes.channelMessages('555'), { body: { content: 'x' } })).rejects.toMatchObject({ status: 401 });
  });

  it('takes webhook messages from WebhookClient into the webhook\'s channel', async () => {
    const url = sim.webhookUrl('777');
    const [, id, token] = /\/webhooks\/(\d+)\/(.+)$/.exec(url)!;
    const hook = new WebhookClient({ id: id!, token: token! }, { rest: { api: sim.apiUrl } });
    const sent = await hook.send({ embeds: [{ title: 'Released' }] });
    await hook.editMessage(sent.id, { content: 'edited' });
    hook.destroy();

    expect(sim.channelMessages('777')).toMatchObject([{ content: 'edited', embeds: [{ title: 'Released' }], webhook_id: id }]);
    expect(sim.calls[0]).toMatchObject({ method: 'POST', query: { wait: 'true' }, authorization: undefined });
  });

  it('keeps interaction follow-ups and the @original edit in the interaction\'s channel', async () => {
    const rest = new REST({ api: sim.apiUrl });
    sim.bindInteraction('itok', '888');
    await rest.patch(Routes.webhookMessage('1', 'itok', '@original'), { body: { content: 'done' }, auth: false });
    await rest.post(Routes.webhook('1', 'itok'), { body: { content: 'just you', flags: 64 }, auth: false });
    await rest.post(Routes.interactionCallback('9', 'itok2'), { body: { type: 4, data: { content: 'callback' } }, auth: false });

    expect(sim.channelMessages('888').map((m) => [m.content, m.flags])).toEqual([['done', 0], ['just you', 64]]);
    expect(sim.calls.map((c) => c.route)).toEqual(['/webhooks/1/itok/messages/@original', '/webhooks/1/itok', '/interactions/9/itok2/callback']);
  });

  it('stores registered application commands with ids', async () => {
    const rest = new REST({ api: sim.apiUrl }).setToken('tok');
    const out = await rest.put(Routes.applicationCommands('42'), { body: [{ name: 'deploy', description: 'd' }] }) as { id: string; name: string }[];
    expect(out).toEqual([expect.objectContaining({ name: 'deploy', application_id: '42', id: expect.stringMatching(/^\d{19}$/) })]);
    expect(sim.commands.get('global')).toEqual(out);
  });

  it('fails on request: a 429 with retry_after is waited out by discord.js', async () => {
    const rest = new REST({ api: sim.apiUrl }).setToken('tok');
    sim.failNext(/^\/channels\//, 429);
    await rest.post(Routes.channelMessages('1'), { body: { content: 'x' } });
    expect(sim.calls.map((c) => c.route)).toEqual(['/channels/1/messages', '/channels/1/messages']);
  });
});

describe('the interaction signer', () => {
  it('signs exactly as Discord does: ed25519 over timestamp + body, valid for that body only', () => {
    const signer = createInteractionSigner();
    const body = '{"type":1}';
    const h = signer.sign(body);
    // The raw 32-byte public key, as Discord shows it, wrapped in the SPKI header Node reads.
    const key = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(signer.publicKeyHex, 'hex')]), format: 'der', type: 'spki' });
    const verifies = (b: string) => verify(null, Buffer.from(h['x-signature-timestamp'] + b), key, Buffer.from(h['x-signature-ed25519'], 'hex'));
    expect(signer.publicKeyHex).toMatch(/^[0-9a-f]{64}$/);
    expect(h['x-signature-timestamp']).toMatch(/^\d+$/);
    expect(verifies(body)).toBe(true);
    expect(verifies('{"type":2}')).toBe(false);
  });
});
