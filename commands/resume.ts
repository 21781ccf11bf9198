import { ResumeCommand } from './schema.ts';
import { inFlightSpec } from './in-flight.ts';

export const resume = inFlightSpec('resume', ResumeCommand, 'Let a paused deploy carry on.', ['/resume', '/resume api production']);
