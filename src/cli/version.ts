import { readFile } from 'node:fs/promises';
import type { CommandIo } from './command-line.ts';

/** `deckhand version`: what to quote in a bug report. */
export async function runVersion(io: CommandIo): Promise<number> {
  const pkg: { version?: unknown } = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
  io.out.write(`deckhand ${String(pkg.version)} (Node ${process.versions.node})\n`);
  return 0;
}
