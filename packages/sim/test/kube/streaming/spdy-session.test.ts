import { constants, createDeflate, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SPDY3_HEADER_DICTIONARY } from '../../../src/kube/streaming/spdy-dictionary.ts';
import type { SpdyStream } from '../../../src/kube/streaming/spdy-session.ts';
import { SpdyServerSession } from '../../../src/kube/streaming/spdy-session.ts';

/** A client framer as spdystream builds frames: one zlib stream (with the SPDY/3 dictionary) across header blocks. */
function clientFramer() {
  const deflate = createDeflate({ dictionary: SPDY3_HEADER_DICTIONARY, level: 9 });
  const headerBlock = (headers: Record<string, string>): Promise<Buffer> => new Promise((resolve) => {
    const parts: Buffer[] = [u32(Object.keys(headers).length)];
    for (const [name, value] of Object.entries(headers)) parts.push(u32(name.length), Buffer.from(name), u32(value.length), Buffer.from(value));
    const out: Buffer[] = [];
    const onData = (chunk: Buffer) => out.push(chunk);
    deflate.on('data', onData);
    deflate.write(Buffer.concat(parts));
    deflate.flush(constants.Z_SYNC_FLUSH, () => {
      deflate.off('data', onData);
      resolve(Buffer.concat(out));
    });
  });
  return {
    async synStream(id: number, headers: Record<string, string>): Promise<Buffer> {
      const block = await headerBlock(headers);
      return control(1, 0, Buffer.concat([u32(id), u32(0), Buffer.from([0, 0]), block]));
    },
    data: (id: number, data: string, fin = false) => Buffer.concat([u32(id), u32(((fin ? 1 : 0) << 24) | data.length), Buffer.from(data)]),
    ping: (id: number) => control(6, 0, u32(id)),
  };
}

function u32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value, 0);
  return out;
}

function control(type: number, flags: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt16BE(0x8003, 0);
  header.writeUInt16BE(type, 2);
  header.writeUInt32BE((flags << 24) | payload.length, 4);
  return Buffer.concat([header, payload]);
}

/** Splits what the server wrote into frames: [type or 'data', streamId, flags, payload]. */
function framesOf(bytes: Buffer): Array<{ kind: number | 'data'; id: number; flags: number; payload: Buffer }> {
  const frames = [];
  for (let offset = 0; offset < bytes.length;) {
    const length = bytes.readUInt32BE(offset + 4) & 0xffffff;
    const isControl = ((bytes[offset] ?? 0) & 0x80) !== 0;
    const payload = bytes.subarray(offset + 8, offset + 8 + length);
    frames.push({ kind: isControl ? bytes.readUInt16BE(offset + 2) : 'data' as const, id: isControl ? (length >= 4 ? payload.readUInt32BE(0) : 0) : bytes.readUInt32BE(offset) & 0x7fffffff, flags: bytes[offset + 4] ?? 0, payload });
    offset += 8 + length;
  }
  return frames;
}

/** Header blocks are inflated on zlib's thread pool: wait until the session has caught up. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('SpdyServerSession', () => {
  it('accepts streams with their headers, replies with readable header blocks, carries data both ways, echoes pings', async () => {
    const written: Buffer[] = [];
    const opened: SpdyStream[] = [];
    const received: string[] = [];
    const session = new SpdyServerSession({ write: (data) => written.push(data), end: () => {} }, (stream) => {
      opened.push(stream);
      stream.onData((data) => received.push(`${stream.id}:${data.toString()}`));
      stream.onEnd(() => received.push(`${stream.id}:end`));
    });
    const client = clientFramer();
    const first = await client.synStream(1, { streamtype: 'error', port: '8080', requestid: '0' });
    const second = await client.synStream(3, { streamtype: 'data', port: '8080', requestid: '0' });
    // Any chunking: the two frames split mid-header.
    const bytes = Buffer.concat([first, second, client.data(3, 'GET / HTTP/1.1\r\n\r\n', true), client.ping(7)]);
    session.receive(bytes.subarray(0, 5));
    session.receive(bytes.subarray(5));
    await until(() => received.length === 2 && written.length >= 3);

    expect(opened.map((s) => [s.id, s.headers])).toEqual([[1, { streamtype: 'error', port: '8080', requestid: '0' }], [3, { streamtype: 'data', port: '8080', requestid: '0' }]]);
    expect(received).toEqual(['3:GET / HTTP/1.1\r\n\r\n', '3:end']);
    opened[1]?.write('HTTP/1.1 200 OK\r\n\r\n');
    opened[1]?.end();

    const frames = framesOf(Buffer.concat(written));
    const replies = frames.filter((f) => f.kind === 2);
    expect(replies.map((f) => f.id)).toEqual([1, 3]);
    // The replies' header blocks are one zlib stream, each block ending like a sync flush (Go's inflater needs it).
    const blocks = replies.map((f) => f.payload.subarray(4));
    for (const block of blocks) expect([...block.subarray(-4)]).toEqual([0x00, 0x00, 0xff, 0xff]);
    const inflated = inflateSync(Buffer.concat(blocks), { dictionary: SPDY3_HEADER_DICTIONARY, finishFlush: constants.Z_SYNC_FLUSH });
    expect([...inflated]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(frames.filter((f) => f.kind === 6).map((f) => f.payload.readUInt32BE(0))).toEqual([7]);
    const data = frames.filter((f) => f.kind === 'data');
    expect(data.map((f) => [f.id, f.payload.toString(), f.flags])).toEqual([[3, 'HTTP/1.1 200 OK\r\n\r\n', 0], [3, '', 1]]);
  });

  it('ends every stream when the connection goes away', async () => {
    const opened: number[] = [];
    const ended: number[] = [];
    const session = new SpdyServerSession({ write: () => {}, end: () => {} }, (stream) => {
      opened.push(stream.id);
      stream.onEnd(() => ended.push(stream.id));
    });
    session.receive(await clientFramer().synStream(1, { streamtype: 'stdout' }));
    await until(() => opened.length === 1);
    expect(ended).toEqual([]);
    session.transportClosed();
    expect(ended).toEqual([1]);
  });
});
