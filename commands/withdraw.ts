import { WithdrawCommand } from './schema.ts';
import type { CommandSpec } from './spec.ts';
import { positional } from './grammar/positional.ts';
import { passOn } from './grammar/problem.ts';
import { readDeployId } from './grammar/read-deploy-id.ts';
import { takeFlags } from './grammar/take-flags.ts';
import { unexpectedWord } from './grammar/unexpected.ts';

const usage = '/withdraw <deploy-id>';

/** Takes back one's own approval of a pending deploy (removing the approval reaction does the same). */
export const withdraw: CommandSpec<'withdraw'> = {
  name: 'withdraw',
  policy: { kind: 'decision', package: 'actions', rule: 'decision' },
  aliases: ['unapprove'],
  summary: 'Take back your approval of a deploy that is still waiting for approvals.',
  usage,
  examples: ['/withdraw 12'],
  schema: WithdrawCommand,
  parse(args) {
    const taken = takeFlags('withdraw', usage, args, []);
    if (taken.kind === 'problem') return passOn(taken);
    const words = positional('withdraw', usage, args, taken.value.positions);
    const id = readDeployId(words.where(0));
    if (id.kind === 'problem') return passOn(id);
    if (words.count > 1) return unexpectedWord(words.where(1), '`/withdraw` takes one deploy id.');
    return { kind: 'command', command: { verb: 'withdraw', deployId: id.value } };
  },
};
