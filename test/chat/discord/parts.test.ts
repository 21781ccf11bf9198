import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeCustomId, discordPublicKey, encodeCustomId, formatDuration, readCommandText, verifyDiscordSignature, type ButtonIntent } from '../../../src/chat/discord/index.ts';

describe('verifyDiscordSignature', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const hex = Buffer.from(String(publicKey.export({ format: 'jwk' }).x), 'base64url').toString('hex');
  const key = discordPublicKey(hex);
  const now = 1_800_000_000_000;
  const ts = String(now / 1000);
  const body = Buffer.from('{"type":1}');
  const sig = sign(null, Buffer.concat([Buffer.from(ts), body]), privateKey).toString('hex');

  it('accepts Discord\'s signature of timestamp + body', () => {
    expect(verifyDiscordSignature(key, sig, ts, body, now)).toBe(true);
  });

  it.each([
    ['a missing signature', undefined, ts, body],
    ['a missing timestamp', sig, undefined, body],
    ['a signature that is not hex', 'zz'.repeat(64), ts, body],
    ['a different body', sig, ts, Buffer.from('{"type":2}')],
    ['a different timestamp', sig, String(now / 1000 + 1), body],
  ])('rejects %s', (_name, s, t, b) => {
    expect(verifyDiscordSignature(key, s, t, b, now)).toBe(false);
  });

  it('rejects a signed request older than five minutes (replay)', () => {
    expect(verifyDiscordSignature(key, sig, ts, body, now + 5 * 60_000 + 1)).toBe(false);
  });

  it('refuses a public key that is not 64 hex characters', () => {
    expect(() => discordPublicKey('abc')).toThrow('64 hex characters');
  });
});

describe('button custom ids', () => {
  it.each<[ButtonIntent, string]>([
    [{ kind: 'act', action: 'approve', deployId: '12' }, 'deckhand:approve:12'],
    [{ kind: 'ask', action: 'abort', deployId: '3' }, 'deckhand:abort:3:ask'],
    [{ kind: 'sure', action: 'rollback', deployId: '3' }, 'deckhand:rollback:3:sure'],
    [{ kind: 'cancel', deployId: '3' }, 'deckhand:cancel:3'],
  ])('%j ⇄ %s', (intent, id) => {
    expect(encodeCustomId(intent)).toBe(id);
    expect(decodeCustomId(id)).toEqual(intent);
  });

  it.each(['deckhand:launch:1', 'deckhand:approve:01', 'deckhand:approve:1:maybe', 'deckhand:cancel:1:sure', 'other:approve:1'])('ignores %s', (id) => {
    expect(decodeCustomId(id)).toBeUndefined();
  });
});

describe('readCommandText', () => {
  it.each([
    ['deploy', [{ name: 'args', type: 3, value: 'api v1.5.0 to production' }], '/deploy api v1.5.0 to production'],
    ['status', [], '/status'],
    ['deckhand', [{ name: 'command', type: 3, value: ' deploy api v1 ' }], '/deckhand deploy api v1'],
    ['deploy', [{ name: 'api', type: 1, options: [{ name: 'version', type: 3, value: 'v1.5.0' }, { name: 'canary', type: 4, value: 10 }] }], '/deploy api v1.5.0 10'],
  ])('/%s %j → %s', (name, options, text) => {
    expect(readCommandText(name, options)).toBe(text);
  });
});

describe('formatDuration', () => {
  it.each([[0, '0s'], [12_400, '12s'], [125_000, '2m 5s'], [3_723_000, '1h 2m']])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
