import { UnfreezeCommand } from './schema.ts';
import type { CommandSpec } from './spec.ts';
import { positional } from './grammar/positional.ts';
import { passOn } from './grammar/problem.ts';
import { readAnyEnv } from './grammar/read-env.ts';
import { takeFlags } from './grammar/take-flags.ts';
import { unexpectedWord } from './grammar/unexpected.ts';

const usage = '/unfreeze <env>';

export const unfreeze: CommandSpec<'unfreeze'> = {
  name: 'unfreeze',
  policy: { kind: 'decision', package: 'actions', rule: 'decision' },
  aliases: ['thaw'],
  summary: 'End a change freeze.',
  usage,
  examples: ['/unfreeze production'],
  schema: UnfreezeCommand,
  parse(args, ctx) {
    const taken = takeFlags('unfreeze', usage, args, []);
    if (taken.kind === 'problem') return passOn(taken);
    const words = positional('unfreeze', usage, args, taken.value.positions);
    const env = readAnyEnv(words.where(0), ctx);
    if (env.kind === 'problem') return passOn(env);
    if (words.count > 1) return unexpectedWord(words.where(1));
    return { kind: 'command', command: { verb: 'unfreeze', env: env.value } };
  },
};
