/**
 * Names as Go's crypto/x509 shows them once OPA JSON-encodes a certificate: pkix.Name with its typed fields and
 * `Names`, general names (DNS, email, IP, URI), net.IP text and the url.URL struct.
 */
import { RObject } from '../value.ts';
import type { Value } from '../value.ts';
import { children, integer, oidArcs, stringOf } from './asn1.ts';
import type { Der } from './asn1.ts';

/** Go's `[]string` in JSON: null when empty (a nil slice). */
export function strings(xs: readonly string[]): Value {
  return xs.length === 0 ? null : [...xs];
}

const NAME_FIELDS: Readonly<Record<string, string>> = {
  '2.5.4.6': 'Country', '2.5.4.10': 'Organization', '2.5.4.11': 'OrganizationalUnit', '2.5.4.7': 'Locality',
  '2.5.4.8': 'Province', '2.5.4.9': 'StreetAddress', '2.5.4.17': 'PostalCode',
};

/** An attribute value as asn1.Unmarshal reads into `any`: strings, integers, else the raw bytes. */
function attributeValue(d: Der): Value {
  const s = stringOf(d);
  if (s !== undefined) return s;
  if (d.tag === 0x02) { const n = integer(d); return n >= -(2n ** 53n) && n <= 2n ** 53n ? Number(n) : n; }
  return d.content.toString('base64');
}

/** pkix.Name (FillFromRDNSequence) from an RDNSequence. */
export function nameValue(rdns: Der): RObject {
  const lists = new Map<string, string[]>(Object.values(NAME_FIELDS).map((f) => [f, []]));
  let commonName = '', serialNumber = '';
  const names: Value[] = [];
  for (const rdn of children(rdns)) {
    for (const atv of children(rdn)) {
      const [type, value] = children(atv);
      if (!type || !value) continue;
      const arcs = oidArcs(type);
      const v = attributeValue(value);
      names.push(new RObject([['Type', arcs], ['Value', v]]));
      if (typeof v !== 'string') continue;
      const oid = arcs.join('.');
      if (oid === '2.5.4.3') commonName = v;
      else if (oid === '2.5.4.5') serialNumber = v;
      else { const f = NAME_FIELDS[oid]; if (f) lists.get(f)!.push(v); }
    }
  }
  const out = new RObject();
  for (const [f, xs] of lists) out.set(f, strings(xs));
  out.set('SerialNumber', serialNumber).set('CommonName', commonName);
  out.set('Names', names.length ? names : null).set('ExtraNames', null);
  return out;
}

/** net.IP's String(): dotted quad for IPv4 (and IPv4-mapped IPv6), RFC 5952 text for IPv6. */
export function ipText(b: Buffer): string {
  if (b.length === 4) return [...b].join('.');
  if (b.length !== 16) return '?' + b.toString('hex');
  if (b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) return [...b.subarray(12)].join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(b.readUInt16BE(i));
  let bestAt = -1, bestLen = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { bestAt = i; bestLen = j - i; }
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestAt < 0) return hex.join(':');
  return hex.slice(0, bestAt).join(':') + '::' + hex.slice(bestAt + bestLen).join(':');
}

/** url.URL as encoding/json writes the struct (User is `{}` when present: its fields are unexported). */
export function urlValue(text: string): RObject {
  let rest = text, fragment = '', query = '', scheme = '', opaque = '', host = '', user: Value = null, path = '';
  const hash = rest.indexOf('#');
  if (hash >= 0) { fragment = decodeURIComponentSafe(rest.slice(hash + 1)); rest = rest.slice(0, hash); }
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s.exec(rest);
  if (m) { scheme = m[1]!.toLowerCase(); rest = m[2]!; }
  const q = rest.indexOf('?');
  if (q >= 0) { query = rest.slice(q + 1); rest = rest.slice(0, q); }
  if (scheme !== '' && !rest.startsWith('/')) opaque = rest;
  else if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    let authority = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
    path = slash < 0 ? '' : decodeURIComponentSafe(rest.slice(slash));
    const at = authority.lastIndexOf('@');
    if (at >= 0) { user = new RObject(); authority = authority.slice(at + 1); }
    host = authority;
  } else path = decodeURIComponentSafe(rest);
  return new RObject([
    ['Scheme', scheme], ['Opaque', opaque], ['User', user], ['Host', host], ['Path', path], ['RawPath', ''],
    ['OmitHost', false], ['ForceQuery', false], ['RawQuery', query], ['Fragment', fragment], ['RawFragment', ''],
  ]);
}

function decodeURIComponentSafe(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}

export interface GeneralNames {
  readonly dns: string[];
  readonly emails: string[];
  readonly ips: Buffer[];
  readonly uris: string[];
}

/** GeneralNames (SAN and friends): [1] rfc822Name, [2] dNSName, [6] URI, [7] iPAddress. */
export function generalNames(seq: Der): GeneralNames {
  const out: GeneralNames = { dns: [], emails: [], ips: [], uris: [] };
  for (const g of children(seq)) {
    const text = g.content.toString('latin1');
    switch (g.tag) {
      case 0x81: out.emails.push(text); break;
      case 0x82: out.dns.push(text); break;
      case 0x86: out.uris.push(text); break;
      case 0x87: out.ips.push(Buffer.from(g.content)); break;
      default: break;
    }
  }
  return out;
}
