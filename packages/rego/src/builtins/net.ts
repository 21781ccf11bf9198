/** The net.cidr_* builtins: v1/topdown/cidr.go, with Go's net.ParseIP/ParseCIDR syntax. */
import { RObject, RSet } from '../value.ts';
import type { Value } from '../value.ts';
import { define } from './operands.ts';
import type { Operands } from './operands.ts';
import type { Builtin } from './types.ts';

interface Net { readonly bits: 32 | 128; readonly first: bigint; readonly last: bigint }

function parseIPv4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p[0] === '0') || Number(p) > 255) return undefined;
    n = (n << 8n) | BigInt(p);
  }
  return n;
}

function parseIPv6(s: string): bigint | undefined {
  let tail4: bigint | undefined;
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.') && lastColon >= 0) {
    tail4 = parseIPv4(s.slice(lastColon + 1));
    if (tail4 === undefined) return undefined;
    s = s.slice(0, lastColon + 1) + '0:0';
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): string[] => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]!), tail = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let n = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  if (tail4 !== undefined) n = (n & ~0xffffffffn) | tail4;
  return n;
}

/** An IP as a /32 or /128 network; IPv4-mapped IPv6 addresses count as IPv4, as Go's To4 does. */
function parseIP(s: string): Net | undefined {
  const v4 = parseIPv4(s);
  if (v4 !== undefined) return { bits: 32, first: v4, last: v4 };
  const v6 = s.includes(':') ? parseIPv6(s) : undefined;
  if (v6 === undefined) return undefined;
  if (v6 >> 32n === 0xffffn) return { bits: 32, first: v6 & 0xffffffffn, last: v6 & 0xffffffffn };
  return { bits: 128, first: v6, last: v6 };
}

function parseCIDR(s: string): Net | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const ipText = s.slice(0, slash), lenText = s.slice(slash + 1);
  const v4 = parseIPv4(ipText);
  const bits = v4 !== undefined ? 32 : 128;
  const ip = v4 ?? (ipText.includes(':') ? parseIPv6(ipText) : undefined);
  if (ip === undefined || !/^\d{1,3}$/.test(lenText) || Number(lenText) > bits) return undefined;
  const host = BigInt(bits - Number(lenText));
  const mask = ((1n << BigInt(bits)) - 1n) ^ ((1n << host) - 1n);
  const first = ip & mask;
  const last = first | ((1n << host) - 1n);
  // Go's IPNet works on To4() of the network number: an IPv4-mapped network (::ffff:a.b.c.d/96 or longer)
  // is the IPv4 network a.b.c.d/(n-96), contains IPv4 addresses and prints dotted.
  if (bits === 128 && host <= 32n && first >> 32n === 0xffffn) return { bits: 32, first: first & 0xffffffffn, last: last & 0xffffffffn };
  return { bits, first, last };
}

function cidrOperand(a: Operands, pos: number): Net {
  const s = a.string(pos);
  const n = parseCIDR(s);
  if (!n) throw a.fail(`invalid CIDR address: ${s}`);
  return n;
}

function contains(a: Operands, net: Net, s: string): boolean {
  const other = parseIP(s) ?? parseCIDR(s);
  if (!other) throw a.fail(`not a valid textual representation of an IP address or CIDR: ${s}`);
  return other.bits === net.bits && net.first <= other.first && other.last <= net.last;
}

/** Go's net.IP.String: dotted quad, or RFC 5952 IPv6 (longest run of two or more zero groups as ::). */
export function formatIP(n: bigint, bits: 32 | 128): string {
  if (bits === 32) return [24n, 16n, 8n, 0n].map((sh) => String((n >> sh) & 255n)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = -1, bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return hex.slice(0, best).join(':') + '::' + hex.slice(best + bestLen).join(':');
}

/** The (cidr, index) pairs of a net.cidr_contains_matches operand. */
function matchOperand(a: Operands, pos: number): [string, Value][] {
  const v = a.at(pos);
  const cidrOf = (x: Value): string => {
    if (typeof x === 'string') return x;
    if (Array.isArray(x) && x.length > 0 && typeof x[0] === 'string') return x[0];
    throw a.fail(`operand ${pos}: element must be string or non-empty array`);
  };
  if (typeof v === 'string') return [[v, v]];
  if (Array.isArray(v)) return v.map((x, i) => [cidrOf(x), i]);
  if (v instanceof RSet) return v.sorted().map((x) => [cidrOf(x), x]);
  if (v instanceof RObject) return v.sortedEntries().map(([k, x]) => [cidrOf(x), k]);
  return [];
}

const MAX_EXPAND = 1n << 20n;

interface Block { readonly bits: 32 | 128; first: bigint; last: bigint; text: string | undefined }

/** An element of net.cidr_merge: a CIDR, or a bare IPv4 address with its classful default mask, as Go does. */
function mergeBlock(a: Operands, x: Value): Block {
  if (typeof x !== 'string') throw a.fail('element must be string');
  const ip = parseIP(x);
  if (ip) {
    if (ip.bits !== 32) throw a.fail('IPv6 invalid: needs prefix length');
    const top = Number(ip.first >> 24n);
    const prefix = top < 128 ? 8 : top < 192 ? 16 : 24;
    const host = (1n << BigInt(32 - prefix)) - 1n;
    return { bits: 32, first: ip.first & ~host, last: (ip.first & ~host) | host, text: `${formatIP(ip.first, 32)}/${prefix}` };
  }
  const net = parseCIDR(x);
  if (!net) throw a.fail(`invalid CIDR address: ${x}`);
  const prefix = net.bits - (net.last - net.first + 1n).toString(2).length + 1;
  return { bits: net.bits, first: net.first, last: net.last, text: `${formatIP(net.first, net.bits)}/${prefix}` };
}

/** The fewest CIDRs covering [first, last]. */
function rangeToCIDRs(first: bigint, last: bigint, bits: 32 | 128): string[] {
  const out: string[] = [];
  while (first <= last) {
    let size = 0n;
    while (size < BigInt(bits) && (first & ((1n << (size + 1n)) - 1n)) === 0n && first + (1n << (size + 1n)) - 1n <= last) size++;
    out.push(`${formatIP(first, bits)}/${bits - Number(size)}`);
    first += 1n << size;
  }
  return out;
}

function merge(blocks: Block[]): string[] {
  const out: string[] = [];
  for (const bits of [32, 128] as const) {
    const rs = blocks.filter((b) => b.bits === bits).sort((x, y) => (x.last < y.last ? -1 : x.last > y.last ? 1 : x.first < y.first ? -1 : x.first > y.first ? 1 : 0));
    for (let i = rs.length - 1; i > 0; i--) {
      const cur = rs[i]!, prev = rs[i - 1]!;
      if (cur.first - 1n <= prev.last) {
        rs[i - 1] = { bits, first: prev.first < cur.first ? prev.first : cur.first, last: cur.last, text: undefined };
        rs.splice(i, 1);
      }
    }
    for (const r of rs) out.push(...(r.text !== undefined ? [r.text] : rangeToCIDRs(r.first, r.last, bits)));
  }
  return out;
}

export const netBuiltins: readonly Builtin[] = [
  define('net.cidr_contains', 2, (a) => {
    const net = cidrOperand(a, 1);
    return contains(a, net, a.string(2));
  }),
  define('net.cidr_contains_matches', 2, (a) => {
    const out = new RSet();
    for (const [c1, i1] of matchOperand(a, 1)) {
      for (const [c2, i2] of matchOperand(a, 2)) {
        const net = parseCIDR(c1);
        if (!net) throw a.fail(`invalid CIDR address: ${c1}`);
        if (contains(a, net, c2)) out.add([i1, i2]);
      }
    }
    return out;
  }),
  define('net.cidr_is_valid', 1, (a) => {
    const v = a.at(1);
    return typeof v === 'string' && parseCIDR(v) !== undefined;
  }),
  define('net.cidr_expand', 1, (a) => {
    const net = cidrOperand(a, 1);
    if (net.last - net.first >= MAX_EXPAND) throw a.fail('timed out before generating all IP addresses');
    const out = new RSet();
    for (let ip = net.first; ip <= net.last; ip++) out.add(formatIP(ip, net.bits));
    return out;
  }),
  define('net.cidr_merge', 1, (a) => {
    const v = a.at(1);
    let items: Value[];
    if (Array.isArray(v)) items = v;
    else if (v instanceof RSet) items = v.sorted();
    else throw a.fail('operand must be an array');
    return new RSet(merge(items.map((x) => mergeBlock(a, x))));
  }),
  define('net.cidr_intersects', 2, (a) => {
    const x = cidrOperand(a, 1), y = cidrOperand(a, 2);
    return x.bits === y.bits && x.first <= y.last && y.first <= x.last;
  }),
];
