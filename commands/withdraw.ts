import { WithdrawCommand } from './schema.ts';
import { deployIdSpec } from './deploy-id-spec.ts';

/** Takes back one's own approval of a pending deploy (removing the approval reaction does the same). */
export const withdraw = deployIdSpec('withdraw', WithdrawCommand, {
  summary: 'Take back your approval of a deploy that is still waiting for approvals.',
  aliases: ['unapprove'],
});
