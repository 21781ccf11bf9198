/**
 * Decimal digits of a double as Go's strconv produces them for a fixed precision: from the exact binary value,
 * rounded half to even (JS's toFixed/toExponential round exact ties up: 2.25 → "2.3" where Go prints "2.2").
 */

/** The exact decimal expansion of a positive finite double: value = 0.digits × 10^point. */
function exactDigits(x: number): { digits: string; point: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0), lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (biased === 0) exp = -1074;
  else { mant |= 1n << 52n; exp = biased - 1075; }
  if (exp >= 0) {
    const s = (mant << BigInt(exp)).toString();
    return { digits: s, point: s.length };
  }
  const s = (mant * 5n ** BigInt(-exp)).toString();
  return { digits: s, point: s.length + exp };
}

/** Keep `keep` leading digits of an exact expansion, rounding half to even; returns digits and carry. */
function roundDigits(digits: string, keep: number): { kept: string; carry: boolean } {
  if (keep < 0) return { kept: '', carry: false };
  const head = digits.slice(0, keep).padEnd(keep, '0');
  const rest = digits.slice(keep);
  const first = rest[0] ?? '0';
  const tail = /[1-9]/.test(rest.slice(1));
  const lastOdd = head.length > 0 && Number(head[head.length - 1]) % 2 === 1;
  const up = first > '5' || (first === '5' && (tail || lastOdd));
  if (!up) return { kept: head, carry: false };
  const n = (BigInt(head || '0') + 1n).toString().padStart(keep, '0');
  return n.length > keep ? { kept: n.slice(1), carry: true } : { kept: n, carry: false };
}

/** |x| with `prec` digits after the point (Go's %.Nf), x finite. */
export function fixedDigits(x: number, prec: number): string {
  const a = Math.abs(x);
  if (a === 0) return prec > 0 ? '0.' + '0'.repeat(prec) : '0';
  const { digits, point } = exactDigits(a);
  // Work on a zero-padded expansion so that `point` is at least 0.
  const padded = point < 0 ? '0'.repeat(-point) + digits : digits;
  const p = Math.max(point, 0);
  const { kept, carry } = roundDigits(padded, p + prec);
  let all = kept;
  let intLen = p;
  if (carry) { all = '1' + kept; intLen++; }
  const intPart = all.slice(0, intLen).replace(/^0+(?=\d)/, '') || '0';
  const frac = all.slice(intLen);
  return prec > 0 ? `${intPart}.${frac}` : intPart;
}

/** |x| as `prec + 1` significant digits and a decimal exponent (Go's %.Ne), x finite. */
export function expDigits(x: number, prec: number): { digits: string; exp: number } {
  const a = Math.abs(x);
  if (a === 0) return { digits: '0'.repeat(prec + 1), exp: 0 };
  const { digits, point } = exactDigits(a);
  const lead = digits.search(/[1-9]/);
  const sig = digits.slice(lead);
  const { kept, carry } = roundDigits(sig, prec + 1);
  const exp = point - lead - 1 + (carry ? 1 : 0);
  return { digits: carry ? '1' + kept.slice(0, prec) : kept, exp };
}
