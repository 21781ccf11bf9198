import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;
/** Larger client messages are refused: kubectl sends at most 32 KiB (+1 channel byte) per message. */
const MAX_MESSAGE_BYTES = 16 * 2 ** 20;

/** The server end of one WebSocket connection (RFC 6455), binary messages only. */
export interface WebSocketConnection {
  /** The subprotocol agreed in the handshake. */
  readonly protocol: string;
  send(data: Uint8Array): void;
  /** Sends a close frame (1000 = normal) and ends the socket. */
  close(code?: number, reason?: string): void;
  onMessage(listener: (data: Buffer) => void): void;
  /** Called once when the connection is gone, whichever side closed it. */
  onClose(listener: () => void): void;
}

/** Whether a request asks to upgrade to WebSocket. */
export function isWebSocketUpgrade(req: IncomingMessage): boolean {
  return (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
}

/** The subprotocols a client offers, in its order of preference. */
export function offeredProtocols(req: IncomingMessage): string[] {
  const header = req.headers['sec-websocket-protocol'];
  return (Array.isArray(header) ? header.join(',') : header ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
}

/**
 * Completes the handshake on an upgraded socket with the chosen subprotocol and returns the connection. A
 * hand-written minimal server (the sim takes no runtime dependency for it): masked client frames, fragmented
 * messages, ping/pong and the close handshake — what gorilla/websocket in kubectl and client-node's `ws` send.
 */
export function acceptWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer, protocol: string): WebSocketConnection {
  const key = String(req.headers['sec-websocket-key'] ?? '');
  const accept = createHash('sha1').update(key + HANDSHAKE_GUID).digest('base64');
  socket.write(['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${accept}`, `Sec-WebSocket-Protocol: ${protocol}`, '', ''].join('\r\n'));

  const messageListeners: Array<(data: Buffer) => void> = [];
  const closeListeners: Array<() => void> = [];
  let buffered: Buffer = head.length > 0 ? Buffer.from(head) : Buffer.alloc(0);
  let fragments: Buffer[] = [];
  let fragmentBytes = 0;
  let closed = false;

  const writeFrame = (opcode: number, payload: Uint8Array): void => {
    if (socket.destroyed || !socket.writable) return;
    const length = payload.length;
    const header = length < 126 ? Buffer.alloc(2) : length < 2 ** 16 ? Buffer.alloc(4) : Buffer.alloc(10);
    header[0] = 0x80 | opcode;
    if (length < 126) header[1] = length;
    else if (length < 2 ** 16) {
      header[1] = 126;
      header.writeUInt16BE(length, 2);
    } else {
      header[1] = 127;
      header.writeBigUInt64BE(BigInt(length), 2);
    }
    socket.write(Buffer.concat([header, payload]));
  };

  const finish = (): void => {
    if (closed) return;
    closed = true;
    for (const listener of closeListeners) listener();
  };

  const close = (code = 1000, reason = ''): void => {
    if (!socket.destroyed && socket.writable) {
      const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
      payload.writeUInt16BE(code, 0);
      payload.write(reason, 2);
      writeFrame(OPCODE.close, payload);
      socket.end();
    }
    finish();
  };

  const onFrame = (fin: boolean, opcode: number, payload: Buffer): void => {
    switch (opcode) {
      case OPCODE.ping:
        writeFrame(OPCODE.pong, payload);
        return;
      case OPCODE.pong:
        return;
      case OPCODE.close:
        close(payload.length >= 2 ? payload.readUInt16BE(0) : 1000);
        return;
      case OPCODE.text:
      case OPCODE.binary:
      case OPCODE.continuation:
        fragments.push(payload);
        fragmentBytes += payload.length;
        if (fragmentBytes > MAX_MESSAGE_BYTES) {
          close(1009, 'message too big');
          return;
        }
        if (!fin) return;
        {
          const message = Buffer.concat(fragments);
          fragments = [];
          fragmentBytes = 0;
          for (const listener of messageListeners) listener(message);
        }
        return;
      default:
        close(1002, 'unknown opcode');
    }
  };

  /** Parses every complete frame in the buffer; keeps an incomplete tail for the next chunk. */
  const parse = (): void => {
    for (;;) {
      if (buffered.length < 2) return;
      const first = buffered[0] ?? 0;
      const second = buffered[1] ?? 0;
      let offset = 2;
      let length = second & 0x7f;
      if (length === 126) {
        if (buffered.length < 4) return;
        length = buffered.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (buffered.length < 10) return;
        length = Number(buffered.readBigUInt64BE(2));
        offset = 10;
      }
      const masked = (second & 0x80) !== 0;
      const frameEnd = offset + (masked ? 4 : 0) + length;
      if (length > MAX_MESSAGE_BYTES) {
        close(1009, 'message too big');
        return;
      }
      if (buffered.length < frameEnd) return;
      const payload = Buffer.from(buffered.subarray(frameEnd - length, frameEnd));
      if (masked) {
        const mask = buffered.subarray(offset, offset + 4);
        for (let i = 0; i < payload.length; i += 1) payload[i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
      }
      buffered = buffered.subarray(frameEnd);
      onFrame((first & 0x80) !== 0, first & 0x0f, payload);
      if (closed) return;
    }
  };

  socket.on('data', (chunk: Buffer) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    parse();
  });
  socket.on('close', finish);
  socket.on('error', () => socket.destroy());
  queueMicrotask(parse);

  return {
    protocol,
    send: (data) => writeFrame(OPCODE.binary, data),
    close,
    onMessage: (listener) => messageListeners.push(listener),
    onClose: (listener) => closeListeners.push(listener),
  };
}
