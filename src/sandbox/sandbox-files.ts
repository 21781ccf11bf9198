import { join } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.ts';

export { PACKAGE_ROOT };

/**
 * Where a running sandbox leaves what other programs need, and only while it runs: `kubeconfig`, for kubectl against
 * the simulated cluster (removed when the sandbox exits, however it exits).
 */
export const SANDBOX_DIR = join(PACKAGE_ROOT, '.deckhand');
