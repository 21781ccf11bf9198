import { createSecretMask } from './create-secret-mask.ts';

type Write = NodeJS.WriteStream['write'];

/**
 * The last line of defence: every write to the process's stdout and stderr has the configured secret values
 * masked, whoever writes it — a library's own `console.error` of an error object included. Deckhand's logger masks
 * its lines already; this catches what bypasses it. Returns a function that puts the original writes back.
 * (A secret split across two writes is not caught; console and pino write whole lines.)
 */
export function maskProcessOutput(secrets: readonly string[], streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): () => void {
  const mask = createSecretMask(secrets);
  const restore: (() => void)[] = [];
  for (const stream of streams) {
    const original = stream.write;
    const write = function (this: NodeJS.WriteStream, chunk: unknown, encodingOrCb?: unknown, cb?: unknown): boolean {
      let out = chunk;
      if (typeof chunk === 'string') {
        out = mask(chunk);
      } else if (chunk instanceof Uint8Array) {
        const text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8');
        const masked = mask(text);
        // Bytes are only re-encoded when they held a secret, so binary output passes untouched.
        if (masked !== text) {
          out = masked;
          if (typeof encodingOrCb === 'string') encodingOrCb = 'utf8';
        }
      }
      return (original as (...a: unknown[]) => boolean).call(this, out, encodingOrCb, cb);
    };
    stream.write = write as Write;
    restore.push(() => { stream.write = original; });
  }
  return () => { for (const r of restore) r(); };
}
