/**
 * Certificate chain verification as OPA asks Go's x509 for it: the first certificate is the only root, the last
 * is the leaf, the ones between are intermediates. Signatures are checked by node:crypto; the rules applied are
 * Go's Verify: validity period at CurrentTime, CA flag on intermediates, MaxPathLen, extended key usage
 * (server auth when none is asked for) and the DNS name.
 */
import { X509Certificate } from 'node:crypto';
import type { ParsedCertificate } from './x509-cert.ts';

export interface VerifyOptions {
  readonly dnsName: string;
  /** Milliseconds since the epoch. */
  readonly currentTime: number;
  /** x509.ExtKeyUsage values; empty means server authentication. */
  readonly keyUsages: readonly number[];
}

const EXT_KEY_USAGE_ANY = 0;
const EXT_KEY_USAGE_SERVER_AUTH = 1;

/** MD2/MD5/SHA-1 RSA, DSA and SHA-1 ECDSA: Go's CheckSignatureFrom refuses them as insecure (or unsupported). */
const REFUSED_SIGNATURE_ALGORITHMS: ReadonlySet<unknown> = new Set([1, 2, 3, 7, 8, 9]);

function issuedBy(child: ParsedCertificate, parent: ParsedCertificate): boolean {
  if (REFUSED_SIGNATURE_ALGORITHMS.has(child.value.get('SignatureAlgorithm'))) return false;
  try {
    const c = new X509Certificate(child.der), p = new X509Certificate(parent.der);
    return c.checkIssued(p) && c.verify(p.publicKey);
  } catch {
    return false;
  }
}

function validAt(c: ParsedCertificate, t: number): boolean {
  return t >= c.notBefore && t <= c.notAfter;
}

/** Go's matchHostnames: case-insensitive, a leading '*' label matching exactly one label. */
function matchesHost(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase().replace(/\.$/, '').split('.');
  const h = host.toLowerCase().replace(/\.$/, '').split('.');
  if (p.length !== h.length || p.some((l) => l === '')) return false;
  return p.every((label, i) => (i === 0 && label === '*') || label === h[i]);
}

function hostnameOK(leaf: ParsedCertificate, name: string): boolean {
  const host = name.replace(/^\[|\]$/g, '');
  if (/^[\d.]+$/.test(host) || host.includes(':')) return leaf.ips.includes(host);
  return leaf.dnsNames.some((p) => matchesHost(p, host));
}

/** checkChainForKeyUsage: every certificate that restricts usage must allow one of the wanted ones. */
function usageOK(chain: readonly ParsedCertificate[], wanted: readonly number[]): boolean {
  if (wanted.includes(EXT_KEY_USAGE_ANY)) return true;
  let remaining = [...wanted];
  for (let i = chain.length - 1; i >= 0; i--) {
    const c = chain[i]!;
    if (!c.hasExtKeyUsage) continue;
    if (c.extKeyUsage.includes(EXT_KEY_USAGE_ANY)) continue;
    remaining = remaining.filter((u) => c.extKeyUsage.includes(u));
    if (remaining.length === 0) return false;
  }
  return true;
}

/** The first chain from the leaf to the root, leaf first; undefined when none verifies. */
export function verifyChain(certs: readonly ParsedCertificate[], opts: VerifyOptions): ParsedCertificate[] | undefined {
  const root = certs[0]!, leaf = certs[certs.length - 1]!;
  const intermediates = certs.slice(1, -1);
  const t = opts.currentTime;
  // Verify refuses a leaf with a critical extension it does not understand.
  if (leaf.value.get('UnhandledCriticalExtensions') !== null) return undefined;
  if (!validAt(leaf, t)) return undefined;
  if (opts.dnsName !== '' && !hostnameOK(leaf, opts.dnsName)) return undefined;
  const wanted = opts.keyUsages.length ? opts.keyUsages : [EXT_KEY_USAGE_SERVER_AUTH];
  const pathLenOK = (c: ParsedCertificate, chain: readonly ParsedCertificate[]): boolean =>
    !(c.basicConstraintsValid && c.maxPathLen >= 0 && chain.length - 1 > c.maxPathLen);

  const extend = (chain: ParsedCertificate[]): ParsedCertificate[] | undefined => {
    const cur = chain[chain.length - 1]!;
    if (cur.der.equals(root.der)) return usageOK(chain, wanted) ? chain : undefined;
    if (validAt(root, t) && pathLenOK(root, chain) && issuedBy(cur, root)) {
      const done = [...chain, root];
      if (usageOK(done, wanted)) return done;
    }
    for (const i of intermediates) {
      if (chain.some((c) => c.der.equals(i.der))) continue;
      if (!validAt(i, t) || !i.basicConstraintsValid || !i.isCA || !pathLenOK(i, chain)) continue;
      if (!issuedBy(cur, i)) continue;
      const found = extend([...chain, i]);
      if (found) return found;
    }
    return undefined;
  };
  return extend([leaf]);
}
