import { describe, expect, it } from 'vitest';
import { RSet } from '../../src/value.ts';
import { call, rows } from './call.ts';

describe('net.cidr_* (Go net.ParseCIDR / IPNet semantics)', () => {
  it.each(rows([
    // IPv4-mapped networks act as IPv4 (IPNet uses the network number's To4) and print dotted.
    ['net.cidr_contains', ['::ffff:10.0.0.0/104', '10.1.1.1'], 'true'],
    ['net.cidr_contains', ['10.0.0.0/8', '::ffff:10.1.1.1'], 'true'],
    ['net.cidr_expand', ['::ffff:1.2.3.4/126'], '["1.2.3.4","1.2.3.5","1.2.3.6","1.2.3.7"]'],
    ['net.cidr_intersects', ['::ffff:10.0.0.0/104', '10.200.0.0/16'], 'true'],
    // Below /96 the mapped prefix is masked away: an ordinary IPv6 network.
    ['net.cidr_contains', ['::ffff:10.0.0.0/80', '10.1.1.1'], 'false'],
    // The prefix length is read by Go's dtoi: leading zeros are fine, signs and spaces are not.
    ['net.cidr_is_valid', ['1.2.3.4/08'], 'true'],
    ['net.cidr_is_valid', ['1.2.3.4/+8'], 'false'],
    ['net.cidr_is_valid', ['1.02.3.4/8'], 'false'],
    ['net.cidr_is_valid', ['fe80::1%eth0/64'], 'false'],
    // A bare IPv4 address in cidr_merge takes its classful default mask (Go's IP.DefaultMask) and, left unmerged,
    // prints as IPNet.String prints it: the address itself, not the network number.
    ['net.cidr_merge', [['10.0.2.1', '192.168.7.1', '172.16.0.1']], '["10.0.2.1/8","172.16.0.1/16","192.168.7.1/24"]'],
    ['net.cidr_merge', [new RSet(['10.0.0.0/24', '10.0.1.0/24'])], '["10.0.0.0/23"]'],
    ['net.cidr_merge', [['::1']], 'eval_builtin_error: net.cidr_merge: IPv6 invalid: needs prefix length'],
  ]))('%s', (_label, name, args, want) => {
    expect(call(name, ...args)).toBe(want);
  });
});
