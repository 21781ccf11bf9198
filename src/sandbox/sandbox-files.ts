import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout (or installed package) Deckhand runs from. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Where a running sandbox leaves what other programs need, and only while it runs: `kubeconfig`, for kubectl against
 * the simulated cluster (removed when the sandbox exits, however it exits).
 */
export const SANDBOX_DIR = join(PACKAGE_ROOT, '.deckhand');
