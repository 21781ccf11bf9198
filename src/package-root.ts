import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder Deckhand's own files ship in (package.json, policies/, .deckhand/): the nearest folder above this
 * module holding a package.json. Found rather than fixed, because this module runs from src/ in a checkout and from
 * dist/ in the built image, one level apart from different places.
 */
function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return from;
  }
}

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
