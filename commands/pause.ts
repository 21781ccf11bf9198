import { PauseCommand } from './schema.ts';
import { inFlightSpec } from './in-flight-spec.ts';

export const pause = inFlightSpec('pause', PauseCommand, 'Hold a deploy in flight at its current step.', ['/pause', '/pause api production']);
