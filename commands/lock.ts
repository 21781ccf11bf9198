import { LockCommand } from './schema.ts';
import type { CommandSpec } from './spec.ts';
import { positional } from './grammar/positional.ts';
import { invalidArgument, passOn } from './grammar/problem.ts';
import { readTarget, restText } from './grammar/read-target.ts';
import { takeFlags } from './grammar/take-flags.ts';

const usage = '/lock <service> [<env>] [reason]';

/**
 * Without an environment the lock covers every environment of the service. The reason is the rest of the
 * message (quotes optional) or `--reason "…"`; a misspelt environment is a problem, not part of the reason.
 */
export const lock: CommandSpec<'lock'> = {
  name: 'lock',
  policy: { kind: 'decision', package: 'actions', rule: 'decision' },
  aliases: [],
  summary: 'Stop deploys of a service (in one environment or all) until it is unlocked.',
  usage,
  examples: ['/lock api production database migration', '/lock web "investigating checkout errors"'],
  schema: LockCommand,
  parse(args, ctx) {
    const taken = takeFlags('lock', usage, args, ['reason']);
    if (taken.kind === 'problem') return passOn(taken);
    const words = positional('lock', usage, args, taken.value.positions);
    const target = readTarget(words, ctx, { serviceRequired: true, restIsText: true });
    if (target.kind === 'problem') return passOn(target);
    const { service, env, used } = target.value;
    const rest = restText(words, used);
    if (rest !== undefined && taken.value.flags.reason !== undefined) {
      return invalidArgument('Give the reason once: either after the service or with `--reason`.', { usage });
    }
    const command: LockCommand = { verb: 'lock', service };
    if (env !== undefined) command.env = env;
    const reason = taken.value.flags.reason ?? rest;
    if (reason !== undefined) command.reason = reason;
    return { kind: 'command', command };
  },
};
