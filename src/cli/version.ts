import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.ts';
import type { CommandIo } from './command-line.ts';

/** `deckhand version`: what to quote in a bug report. */
export async function runVersion(io: CommandIo): Promise<number> {
  const pkg: { version?: unknown } = JSON.parse(await readFile(join(PACKAGE_ROOT, 'package.json'), 'utf8'));
  io.out.write(`deckhand ${String(pkg.version)} (Node ${process.versions.node})\n`);
  return 0;
}
