import { UnlockCommand } from './schema.ts';
import type { CommandSpec } from './spec.ts';
import { positional } from './grammar/positional.ts';
import { passOn } from './grammar/problem.ts';
import { readTarget } from './grammar/read-target.ts';
import { takeFlags } from './grammar/take-flags.ts';

const usage = '/unlock <service> [<env>]';

/** Without an environment: the whole-service lock. */
export const unlock: CommandSpec<'unlock'> = {
  name: 'unlock',
  policy: { kind: 'decision', package: 'actions', rule: 'decision' },
  aliases: [],
  summary: 'Allow deploys of a locked service again.',
  usage,
  examples: ['/unlock api', '/unlock api production'],
  schema: UnlockCommand,
  parse(args, ctx) {
    const taken = takeFlags('unlock', usage, args, []);
    if (taken.kind === 'problem') return passOn(taken);
    const target = readTarget(positional('unlock', usage, args, taken.value.positions), ctx, { serviceRequired: true, restIsText: false });
    if (target.kind === 'problem') return passOn(target);
    const { service, env } = target.value;
    const command: UnlockCommand = { verb: 'unlock', service };
    if (env !== undefined) command.env = env;
    return { kind: 'command', command };
  },
};
