/** net.cidr_contains and net.cidr_intersects: v1/topdown/cidr.go, with Go's net.ParseIP/ParseCIDR syntax. */
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
  return { bits, first, last: first | ((1n << host) - 1n) };
}

function cidrOperand(a: Operands, pos: number): Net {
  const s = a.string(pos);
  const n = parseCIDR(s);
  if (!n) throw a.fail(`invalid CIDR address: ${s}`);
  return n;
}

export const netBuiltins: readonly Builtin[] = [
  define('net.cidr_contains', 2, (a) => {
    const net = cidrOperand(a, 1);
    const s = a.string(2);
    const other = parseIP(s) ?? parseCIDR(s);
    if (!other) throw a.fail(`invalid CIDR address: ${s}`);
    return other.bits === net.bits && net.first <= other.first && other.last <= net.last;
  }),
  define('net.cidr_intersects', 2, (a) => {
    const x = cidrOperand(a, 1), y = cidrOperand(a, 2);
    return x.bits === y.bits && x.first <= y.last && y.first <= x.last;
  }),
];
