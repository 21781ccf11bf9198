import { constants, createInflate } from 'node:zlib';
import { SPDY3_HEADER_DICTIONARY } from './spdy-dictionary.ts';

const SPDY_VERSION = 3;
const TYPE = { synStream: 1, synReply: 2, rstStream: 3, settings: 4, ping: 6, goAway: 7, headers: 8, windowUpdate: 9 } as const;
const FLAG_FIN = 0x01;
/** One data frame carries at most this much; larger writes are split (the limit is 2^24-1, smaller is kinder). */
const MAX_DATA_FRAME = 64 * 1024;
const MAX_STORED_BLOCK = 0xffff;
const SYNC_FLUSH_MARKER = Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]);

/** Where the session's bytes go: a raw socket after `Upgrade: SPDY/3.1`, or WebSocket messages (the tunnel). */
export interface SpdyTransport {
  write(data: Buffer): void;
  end(): void;
}

/** One stream the client opened, as the server sees it. */
export interface SpdyStream {
  readonly id: number;
  /** The SYN_STREAM headers, names lower-cased, first value of each. */
  readonly headers: Readonly<Record<string, string>>;
  write(data: Buffer | string): void;
  /** Half-closes the server's side (a FIN data frame); the client may still send. */
  end(): void;
  onData(listener: (data: Buffer) => void): void;
  /** The client's side is finished: FIN, RST_STREAM, or the connection went away. */
  onEnd(listener: () => void): void;
}

/**
 * The server side of a SPDY/3.1 session as moby/spdystream (kubectl's) speaks it: the client opens streams with
 * SYN_STREAM and the server accepts each at once with SYN_REPLY; DATA frames with FIN half-close; PINGs are
 * echoed. No flow control (spdystream sends none). Header blocks are zlib with the SPDY/3 dictionary: read with
 * a streaming inflater — frames are handled strictly in order, since each block continues the previous one's
 * zlib stream — and written as stored (uncompressed) deflate blocks ended like a sync flush, which any inflater
 * reads.
 */
export class SpdyServerSession {
  readonly #transport: SpdyTransport;
  readonly #onStream: (stream: SpdyStream) => void;
  readonly #streams = new Map<number, StreamState>();
  /** Paused (no 'data' listener): each flush's output is read from its buffer in the flush callback. */
  readonly #inflate = createInflate({ dictionary: SPDY3_HEADER_DICTIONARY });
  readonly #closeListeners: Array<() => void> = [];
  #buffer: Buffer = Buffer.alloc(0);
  #queue: Promise<void> = Promise.resolve();
  #wroteZlibHeader = false;
  #closed = false;

  constructor(transport: SpdyTransport, onStream: (stream: SpdyStream) => void) {
    this.#transport = transport;
    this.#onStream = onStream;
    this.#inflate.on('error', () => this.close());
  }

  /** Bytes from the client, in any chunking. */
  receive(chunk: Buffer): void {
    if (this.#closed) return;
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    while (this.#buffer.length >= 8) {
      const length = this.#buffer.readUInt32BE(4) & 0xffffff;
      if (this.#buffer.length < 8 + length) return;
      const frame = Buffer.from(this.#buffer.subarray(0, 8 + length));
      this.#buffer = this.#buffer.subarray(8 + length);
      this.#queue = this.#queue.then(() => this.#handle(frame)).catch(() => this.close());
    }
  }

  /** Ends the session: every stream ends, GOAWAY is sent and the transport closed. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const stream of this.#streams.values()) stream.remoteEnded();
    this.#streams.clear();
    const goAway = Buffer.alloc(8);
    goAway.writeUInt32BE(0, 0);
    goAway.writeUInt32BE(0, 4);
    this.#writeControl(TYPE.goAway, 0, goAway, true);
    this.#transport.end();
    this.#inflate.destroy();
    for (const listener of this.#closeListeners) listener();
  }

  /** The transport went away (socket closed): end everything without writing. */
  transportClosed(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const stream of this.#streams.values()) stream.remoteEnded();
    this.#streams.clear();
    this.#inflate.destroy();
    for (const listener of this.#closeListeners) listener();
  }

  onClose(listener: () => void): void {
    this.#closeListeners.push(listener);
  }

  async #handle(frame: Buffer): Promise<void> {
    if (this.#closed) return;
    const isControl = ((frame[0] ?? 0) & 0x80) !== 0;
    const flags = frame[4] ?? 0;
    if (!isControl) {
      const stream = this.#streams.get(frame.readUInt32BE(0) & 0x7fffffff);
      if (!stream) return;
      if (frame.length > 8) stream.remoteData(frame.subarray(8));
      if (flags & FLAG_FIN) stream.remoteEnded();
      return;
    }
    const type = frame.readUInt16BE(2);
    switch (type) {
      case TYPE.synStream: {
        const id = frame.readUInt32BE(8) & 0x7fffffff;
        const headers = await this.#decodeHeaders(frame.subarray(18));
        const stream = new StreamState(id, headers, this);
        this.#streams.set(id, stream);
        this.#writeControl(TYPE.synReply, 0, Buffer.concat([uint32(id), this.#encodeHeaders({})]));
        this.#onStream(stream.view);
        if (flags & FLAG_FIN) stream.remoteEnded();
        return;
      }
      case TYPE.synReply:
      case TYPE.headers:
        // Nothing to act on, but the block must pass through the inflater to keep its state in step.
        await this.#decodeHeaders(frame.subarray(12));
        return;
      case TYPE.rstStream: {
        const id = frame.readUInt32BE(8) & 0x7fffffff;
        const stream = this.#streams.get(id);
        this.#streams.delete(id);
        stream?.reset();
        return;
      }
      case TYPE.ping:
        this.#writeControl(TYPE.ping, 0, frame.subarray(8, 12));
        return;
      case TYPE.goAway:
        this.close();
        return;
      default:
        // SETTINGS and WINDOW_UPDATE: spdystream's flow control is off, nothing to honour.
        return;
    }
  }

  /** Called by a stream: a DATA frame, split into pieces the client reads comfortably. */
  writeData(id: number, data: Buffer, fin: boolean): void {
    if (this.#closed) return;
    let offset = 0;
    do {
      const piece = data.subarray(offset, offset + MAX_DATA_FRAME);
      offset += piece.length;
      const last = offset >= data.length;
      const header = Buffer.alloc(8);
      header.writeUInt32BE(id & 0x7fffffff, 0);
      header.writeUInt32BE((((fin && last) ? FLAG_FIN : 0) << 24) | piece.length, 4);
      this.#transport.write(Buffer.concat([header, piece]));
    } while (offset < data.length);
  }

  /** Called by a stream once both sides are done. */
  forget(id: number): void {
    this.#streams.delete(id);
  }

  #writeControl(type: number, flags: number, payload: Buffer, evenIfClosed = false): void {
    if (this.#closed && !evenIfClosed) return;
    const header = Buffer.alloc(8);
    header.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
    header.writeUInt16BE(type, 2);
    header.writeUInt32BE((flags << 24) | payload.length, 4);
    this.#transport.write(Buffer.concat([header, payload]));
  }

  /** A header block as stored deflate blocks, continuing the session's one zlib stream (a header first). */
  #encodeHeaders(headers: Record<string, string>): Buffer {
    const parts: Buffer[] = [uint32(Object.keys(headers).length)];
    for (const [name, value] of Object.entries(headers)) {
      const n = Buffer.from(name.toLowerCase());
      const v = Buffer.from(value);
      parts.push(uint32(n.length), n, uint32(v.length), v);
    }
    const raw = Buffer.concat(parts);
    const out: Buffer[] = [];
    if (!this.#wroteZlibHeader) {
      out.push(Buffer.from([0x78, 0x01]));
      this.#wroteZlibHeader = true;
    }
    for (let offset = 0; offset < raw.length; offset += MAX_STORED_BLOCK) {
      const block = raw.subarray(offset, offset + MAX_STORED_BLOCK);
      const len = Buffer.alloc(5);
      len[0] = 0x00;
      len.writeUInt16LE(block.length, 1);
      len.writeUInt16LE(~block.length & 0xffff, 3);
      out.push(len, block);
    }
    // The empty stored block a sync flush ends with: Go's inflater hands out a block's bytes only when it reads
    // the next block's header, so without it the header block would stay inside the reader.
    out.push(SYNC_FLUSH_MARKER);
    return Buffer.concat(out);
  }

  #decodeHeaders(block: Buffer): Promise<Record<string, string>> {
    return new Promise((resolve, reject) => {
      this.#inflate.write(block);
      this.#inflate.flush(constants.Z_SYNC_FLUSH, () => {
        // zlib pushes a flush's output before calling back, so it is all in the readable buffer now.
        const parts: Buffer[] = [];
        for (let chunk = this.#inflate.read() as Buffer | null; chunk !== null; chunk = this.#inflate.read() as Buffer | null) parts.push(chunk);
        const raw = Buffer.concat(parts);
        try {
          resolve(parseHeaderBlock(raw));
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
    });
  }
}

/** A stream's two halves and its listeners; `view` is what the session hands out. */
class StreamState {
  readonly view: SpdyStream;
  readonly #session: SpdyServerSession;
  readonly #id: number;
  readonly #dataListeners: Array<(data: Buffer) => void> = [];
  readonly #endListeners: Array<() => void> = [];
  #pending: Buffer[] = [];
  #remoteDone = false;
  #localDone = false;

  constructor(id: number, headers: Record<string, string>, session: SpdyServerSession) {
    this.#id = id;
    this.#session = session;
    this.view = {
      id,
      headers,
      write: (data) => {
        if (!this.#localDone) session.writeData(id, Buffer.from(data), false);
      },
      end: () => {
        if (this.#localDone) return;
        this.#localDone = true;
        session.writeData(id, Buffer.alloc(0), true);
        if (this.#remoteDone) session.forget(id);
      },
      onData: (listener) => {
        this.#dataListeners.push(listener);
        for (const chunk of this.#pending.splice(0)) listener(chunk);
        if (this.#remoteDone) for (const end of this.#endListeners.splice(0)) end();
      },
      onEnd: (listener) => {
        if (this.#remoteDone && this.#pending.length === 0) listener();
        else this.#endListeners.push(listener);
      },
    };
  }

  remoteData(data: Buffer): void {
    if (this.#remoteDone) return;
    const copy = Buffer.from(data);
    if (this.#dataListeners.length === 0) this.#pending.push(copy);
    else for (const listener of this.#dataListeners) listener(copy);
  }

  remoteEnded(): void {
    if (this.#remoteDone) return;
    this.#remoteDone = true;
    // Data not yet read is delivered first; its reader's onData then reports the end.
    if (this.#pending.length === 0) for (const listener of this.#endListeners.splice(0)) listener();
    if (this.#localDone) this.#session.forget(this.#id);
  }

  /** RST_STREAM: neither side sends any more. */
  reset(): void {
    this.#localDone = true;
    this.remoteEnded();
  }
}

function uint32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0, 0);
  return out;
}

/** name/value pairs, each length-prefixed (uint32); a value holding several is NUL-separated. */
function parseHeaderBlock(raw: Buffer): Record<string, string> {
  const headers: Record<string, string> = {};
  let offset = 4;
  const count = raw.readUInt32BE(0);
  for (let i = 0; i < count; i += 1) {
    const nameLength = raw.readUInt32BE(offset);
    const name = raw.toString('utf8', offset + 4, offset + 4 + nameLength).toLowerCase();
    offset += 4 + nameLength;
    const valueLength = raw.readUInt32BE(offset);
    const value = raw.toString('utf8', offset + 4, offset + 4 + valueLength);
    offset += 4 + valueLength;
    headers[name] = value.split('\0')[0] ?? '';
  }
  return headers;
}
