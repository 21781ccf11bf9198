import { DenyCommand } from './schema.ts';
import type { CommandSpec } from './spec.ts';
import { positional } from './grammar/positional.ts';
import { invalidArgument, passOn } from './grammar/problem.ts';
import { readDeployId } from './grammar/read-deploy-id.ts';
import { restText } from './grammar/read-target.ts';
import { takeFlags } from './grammar/take-flags.ts';

const usage = '/deny <deploy-id> [reason]';

/** The reason is the rest of the message (quotes optional), or `--reason "…"`. */
export const deny: CommandSpec<'deny'> = {
  name: 'deny',
  policy: { kind: 'decision', package: 'actions', rule: 'decision' },
  aliases: ['reject'],
  summary: 'Refuse a deploy that is waiting for approval.',
  usage,
  examples: ['/deny 12', '/deny 12 not during the sale'],
  schema: DenyCommand,
  parse(args) {
    const taken = takeFlags('deny', usage, args, ['reason']);
    if (taken.kind === 'problem') return passOn(taken);
    const words = positional('deny', usage, args, taken.value.positions);
    const id = readDeployId(words.where(0));
    if (id.kind === 'problem') return passOn(id);
    const rest = restText(words, 1);
    if (rest !== undefined && taken.value.flags.reason !== undefined) {
      return invalidArgument('Give the reason once: either after the id or with `--reason`.', { usage });
    }
    const command: DenyCommand = { verb: 'deny', deployId: id.value };
    const reason = taken.value.flags.reason ?? rest;
    if (reason !== undefined) command.reason = reason;
    return { kind: 'command', command };
  },
};
