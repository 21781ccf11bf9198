import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.ts';

/**
 * Reads the whole body, refusing past `limitBytes`. The declared Content-Length is checked first so an
 * oversized upload is refused before a byte is read; the bytes actually received are counted too, because a
 * chunked body declares no length. On refusal the stream is left paused, not destroyed, so the 413 can still be
 * written; the response carries `Connection: close` and the socket goes with it.
 */
export function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limitBytes) return Promise.reject(tooLarge(limitBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received > limitBytes) {
        cleanup();
        req.pause();
        reject(tooLarge(limitBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks, received));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    // A client that hangs up mid-body: without this the promise would wait forever.
    const onClose = (): void => {
      if (!req.complete) onError(new Error('the client closed the connection before the body ended'));
    };
    const cleanup = (): void => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    };
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

function tooLarge(limitBytes: number): HttpError {
  return new HttpError('payload_too_large', `The request body is larger than ${limitBytes} bytes.`, { connection: 'close' });
}
