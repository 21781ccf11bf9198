import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { keyOf, poolDispatchers, sameMaterial } from '../../src/kube/pooled-dispatchers.ts';

describe('the dispatcher pool', () => {
  const pem = (text: string): Buffer => Buffer.from(`-----BEGIN CERTIFICATE-----\n${text}\n-----END CERTIFICATE-----\n`);
  const kubeconfigWith = (ca: Buffer): KubeConfig => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: 'https://127.0.0.1:6443', caData: ca.toString('base64'), skipTLSVerify: false }],
      users: [{ name: 'u', token: 't' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x',
    });
    return poolDispatchers(kc);
  };
  const dispatcherOf = (kc: KubeConfig, ca: Buffer): unknown => (kc as unknown as { createDispatcher(c: unknown, o: unknown): unknown }).createDispatcher(kc.getCurrentCluster(), { ca });

  it('gives calls with the same TLS material (decoded afresh each time) one dispatcher, and a rotated CA a new one', () => {
    const kc = kubeconfigWith(pem('one'));
    const first = dispatcherOf(kc, pem('one'));
    expect(dispatcherOf(kc, pem('one'))).toBe(first);
    const rotated = dispatcherOf(kc, pem('two'));
    expect(rotated).not.toBe(first);
    expect(dispatcherOf(kc, pem('two'))).toBe(rotated);
    expect(dispatcherOf(kc, pem('one'))).toBe(first);
  });

  it('compares material by bytes and by value, key by key', () => {
    expect(sameMaterial({ type: 'agent', connect: { ca: pem('a'), keepAlive: true } }, { type: 'agent', connect: { ca: pem('a'), keepAlive: true } })).toBe(true);
    expect(sameMaterial({ connect: { ca: pem('a') } }, { connect: { ca: pem('b') } })).toBe(false);
    expect(sameMaterial({ connect: { ca: pem('a') } }, { connect: { ca: pem('a'), cert: pem('c') } })).toBe(false);
    expect(sameMaterial({ connect: { ca: [pem('a')] } }, { connect: { ca: [pem('a'), pem('b')] } })).toBe(false);
    expect(sameMaterial({ connect: { rejectUnauthorized: false } }, { connect: { rejectUnauthorized: true } })).toBe(false);
    expect(sameMaterial({ connect: { ca: pem('a') } }, { connect: { ca: pem('a').toString() } })).toBe(false);
    expect(keyOf({ connect: { ca: pem('a') } })).not.toBe(keyOf({ connect: { ca: pem('b') } }));
  });
});
