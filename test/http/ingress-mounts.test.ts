import { afterEach, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../src/chat/discord/index.ts';
import { createSlackAdapter } from '../../src/chat/slack/index.ts';
import { createHttpServer, type HttpServer } from '../../src/http/index.ts';
import { createInteractionSigner, pingInteraction } from '@deckhand/sim/discord';
import { signSlackRequest } from '../helpers/slack-request.ts';

// The chat adapters' own handlers, mounted on the one server: the body the server has already read (within its
// limit) reaches Bolt and the Discord verifier through `req.rawBody`, and signatures still hold over those bytes.
const SIGNING_SECRET = 'mount-test-signing-secret';

let http: HttpServer | undefined;
afterEach(async () => {
  await http?.close({ timeoutMs: 100 });
  http = undefined;
});

type Signer = ReturnType<typeof createInteractionSigner>;

async function serve(): Promise<{ url: string; discordSigner: Signer }> {
  http = createHttpServer({ bodyLimitBytes: 64 * 1024 });
  const slack = createSlackAdapter({ botToken: 'xoxb-test', signingSecret: SIGNING_SECRET, listen: false });
  const signer = createInteractionSigner();
  const discord = createDiscordAdapter({ applicationId: '1234', publicKey: signer.publicKeyHex, botToken: 'discord-test-token' });
  if (!slack.requestListener) throw new Error('the Slack adapter offers no request listener in HTTP mode');
  http.mount('/slack/events', slack.requestListener);
  http.mount('/discord/interactions', discord.handler);
  const { url } = await http.listen(0, '127.0.0.1');
  return { url, discordSigner: signer };
}

describe('chat ingress mounted on the one server', () => {
  it("Bolt's requestListener answers a signed url_verification from the buffered body", async () => {
    const { url } = await serve();
    const body = JSON.stringify({ type: 'url_verification', challenge: 'abc123', token: 'x' });
    const res = await fetch(`${url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...signSlackRequest(SIGNING_SECRET, body) }, body });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('abc123');
  });

  it('Bolt refuses a request signed with another secret', async () => {
    const { url } = await serve();
    const body = JSON.stringify({ type: 'url_verification', challenge: 'abc123', token: 'x' });
    const res = await fetch(`${url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...signSlackRequest('wrong-secret', body) }, body });
    expect(res.status).toBe(401);
  });

  it('the Discord handler answers a signed PING and refuses an unsigned one', async () => {
    const { url, discordSigner } = await serve();
    const body = JSON.stringify(pingInteraction('1234'));
    const signed = await fetch(`${url}/discord/interactions`, { method: 'POST', headers: { 'content-type': 'application/json', ...discordSigner.sign(body) }, body });
    expect(signed.status).toBe(200);
    expect(await signed.json()).toEqual({ type: 1 });
    const unsigned = await fetch(`${url}/discord/interactions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(unsigned.status).toBe(401);
  });

  it('an oversized body is refused by the server before either adapter sees it', async () => {
    const { url, discordSigner } = await serve();
    const body = 'x'.repeat(64 * 1024 + 1);
    expect((await fetch(`${url}/slack/events`, { method: 'POST', headers: signSlackRequest(SIGNING_SECRET, body), body })).status).toBe(413);
    expect((await fetch(`${url}/discord/interactions`, { method: 'POST', headers: { ...discordSigner.sign(body) }, body })).status).toBe(413);
  });
});
