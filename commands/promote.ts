import { PromoteCommand } from './schema.ts';
import { inFlightSpec } from './in-flight-spec.ts';

export const promote = inFlightSpec('promote', PromoteCommand, 'Move a paused canary or blue-green deploy to its next step.', ['/promote', '/promote api', '/promote api production']);
