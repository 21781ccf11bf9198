import { ResumeCommand } from './schema.ts';
import { inFlightSpec } from './in-flight-spec.ts';

export const resume = inFlightSpec('resume', ResumeCommand, 'Let a paused deploy carry on.', ['/resume', '/resume api production']);
