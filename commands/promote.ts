import { PromoteCommand } from './schema.ts';
import { inFlightSpec } from './in-flight-spec.ts';

export const promote = inFlightSpec('promote', PromoteCommand, 'Move a paused canary or blue-green deploy to its next step; `--full` skips all the remaining steps.', ['/promote', '/promote api', '/promote api production', '/promote api production --full']);
