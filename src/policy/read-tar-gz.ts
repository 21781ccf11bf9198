import { gunzipSync } from 'node:zlib';
import { DeckhandError } from '../errors.ts';

/** One regular file of an archive, by its path inside it (as written: `/data.json`, `./a/b.rego`, `x.rego`). */
export interface TarFile {
  readonly path: string;
  readonly content: Buffer;
}

export interface TarLimits {
  /** Uncompressed size of the whole archive (default 64 MiB): a small .tar.gz cannot unpack into gigabytes. */
  maxBytes?: number;
}

const BLOCK = 512;

/**
 * The regular files of a gzip-compressed tar archive (ustar, with GNU long names and PAX `path` records, which is
 * what `tar czf` and `opa build` write). Directories are implied by paths; links and devices are not files of a
 * bundle and are left out, as OPA's tarball loader leaves them. A corrupt archive is a `policy_error` saying where.
 */
export function readTarGz(bytes: Buffer, name: string, limits: TarLimits = {}): TarFile[] {
  const maxBytes = limits.maxBytes ?? 64 * 1024 * 1024;
  let tar: Buffer;
  try {
    tar = gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (err) {
    const tooBig = err instanceof RangeError || (err instanceof Error && 'code' in err && err.code === 'ERR_BUFFER_TOO_LARGE');
    throw new DeckhandError('policy_error', tooBig
      ? `${name} unpacks to more than ${maxBytes} bytes; refused.`
      : `${name} is not a gzip-compressed tar archive (.tar.gz).`, { cause: err });
  }
  const files: TarFile[] = [];
  let longName: string | undefined;
  let paxPath: string | undefined;
  for (let at = 0; at + BLOCK <= tar.length;) {
    const header = tar.subarray(at, at + BLOCK);
    if (header.every((b) => b === 0)) break;
    if (!checksumMatches(header)) throw new DeckhandError('policy_error', `${name} is corrupt: the tar header at byte ${at} fails its checksum.`);
    const size = octal(header.subarray(124, 136));
    const type = String.fromCharCode(header[156] ?? 0);
    const body = tar.subarray(at + BLOCK, at + BLOCK + size);
    if (body.length < size) throw new DeckhandError('policy_error', `${name} is cut short: an entry at byte ${at} announces ${size} bytes.`);
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    switch (type) {
      case 'L': longName = cString(body); continue;
      case 'x': paxPath = paxRecord(body, 'path') ?? paxPath; continue;
      case 'g': continue;
      case '0': case '\0': case '7': {
        const prefix = cString(header.subarray(345, 500));
        const short = cString(header.subarray(0, 100));
        const path = paxPath ?? longName ?? (prefix ? `${prefix}/${short}` : short);
        files.push({ path, content: Buffer.from(body) });
        break;
      }
      default: break;
    }
    longName = undefined;
    paxPath = undefined;
  }
  return files;
}

function checksumMatches(header: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
  return sum === octal(header.subarray(148, 156));
}

function octal(field: Buffer): number {
  const text = cString(field).trim();
  return text === '' ? 0 : Number.parseInt(text, 8);
}

function cString(field: Buffer): string {
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? field.length : end).toString('utf8');
}

/** One `<len> key=value\n` record of a PAX extended header. */
function paxRecord(body: Buffer, key: string): string | undefined {
  for (const line of body.toString('utf8').split('\n')) {
    const m = /^\d+ ([^=]+)=(.*)$/s.exec(line);
    if (m?.[1] === key) return m[2];
  }
  return undefined;
}
