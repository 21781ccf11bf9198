import { ApproveCommand } from './schema.ts';
import type { CommandSpec } from './spec.ts';
import { positional } from './grammar/positional.ts';
import { passOn } from './grammar/problem.ts';
import { readDeployId } from './grammar/read-deploy-id.ts';
import { takeFlags } from './grammar/take-flags.ts';
import { unexpectedWord } from './grammar/unexpected.ts';

const usage = '/approve <deploy-id>';

export const approve: CommandSpec<'approve'> = {
  name: 'approve',
  policy: { kind: 'decision', package: 'actions', rule: 'decision' },
  aliases: [],
  summary: 'Approve a deploy that is waiting for approval.',
  usage,
  examples: ['/approve 12'],
  schema: ApproveCommand,
  parse(args) {
    const taken = takeFlags('approve', usage, args, []);
    if (taken.kind === 'problem') return passOn(taken);
    const words = positional('approve', usage, args, taken.value.positions);
    const id = readDeployId(words.where(0));
    if (id.kind === 'problem') return passOn(id);
    if (words.count > 1) return unexpectedWord(words.where(1), '`/approve` takes one deploy id.');
    return { kind: 'command', command: { verb: 'approve', deployId: id.value } };
  },
};
