import { ApproveCommand } from './schema.ts';
import { deployIdSpec } from './deploy-id-spec.ts';

export const approve = deployIdSpec('approve', ApproveCommand, { summary: 'Approve a deploy that is waiting for approval.' });
