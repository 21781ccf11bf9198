/**
 * encoding/pem's Decode, as OPA relies on it: the first well-formed block anywhere in the text, the text after
 * its END line (whose newline is consumed), and malformed candidates skipped rather than reported.
 */
import { Base64Error, decodeStd } from './base64.ts';

export interface PemBlock {
  readonly type: string;
  readonly headers: ReadonlyMap<string, string>;
  readonly bytes: Buffer;
}

export interface PemDecoded {
  readonly block: PemBlock | undefined;
  readonly rest: string;
}

/** The line up to '\n' without trailing spaces, tabs and '\r'; and what follows the newline. */
function getLine(s: string): [line: string, rest: string] {
  const i = s.indexOf('\n');
  const line = i < 0 ? s : s.slice(0, i);
  return [line.replace(/[ \t\r]+$/, ''), i < 0 ? '' : s.slice(i + 1)];
}

export function decodePem(data: string): PemDecoded {
  let rest = data;
  for (;;) {
    if (rest.startsWith('-----BEGIN ')) rest = rest.slice('-----BEGIN '.length);
    else {
      const at = rest.indexOf('\n-----BEGIN ');
      if (at < 0) return { block: undefined, rest: data };
      rest = rest.slice(at + '\n-----BEGIN '.length);
    }
    let typeLine: string;
    [typeLine, rest] = getLine(rest);
    if (!typeLine.endsWith('-----')) continue;
    const type = typeLine.slice(0, -5);
    const headers = new Map<string, string>();
    for (;;) {
      if (rest === '') return { block: undefined, rest: data };
      const [line, next] = getLine(rest);
      const colon = line.indexOf(':');
      if (colon < 0) break;
      headers.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      rest = next;
    }
    let endIndex: number, trailerAt: number;
    if (headers.size === 0 && rest.startsWith('-----END ')) {
      endIndex = 0; trailerAt = '-----END '.length;
    } else {
      endIndex = rest.indexOf('\n-----END ');
      trailerAt = endIndex + '\n-----END '.length;
    }
    if (endIndex < 0) continue;
    const trailer = rest.slice(trailerAt, trailerAt + type.length + 5);
    if (trailer !== `${type}-----`) continue;
    if (getLine(rest.slice(trailerAt + type.length + 5))[0] !== '') continue;
    let bytes: Buffer;
    try {
      bytes = decodeStd(rest.slice(0, endIndex).replace(/[ \t]/g, ''));
    } catch (e) {
      if (e instanceof Base64Error) continue;
      throw e;
    }
    const after = getLine(rest.slice(trailerAt))[1];
    return { block: { type, headers, bytes }, rest: after };
  }
}

/** Every block in order, stopping at the first text that holds no further block (as OPA's loops do). */
export function decodeAllPem(data: string): PemBlock[] {
  const out: PemBlock[] = [];
  let rest = data;
  while (rest.length > 0) {
    const d = decodePem(rest);
    if (!d.block) break;
    out.push(d.block);
    rest = d.rest;
  }
  return out;
}

export function encodePem(type: string, bytes: Uint8Array): string {
  const b64 = Buffer.from(bytes).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${type}-----\n${lines.join('\n')}${lines.length ? '\n' : ''}-----END ${type}-----\n`;
}
