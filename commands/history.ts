import { HistoryCommand } from './schema.ts';
import type { CommandSpec } from './spec.ts';
import { positional } from './grammar/positional.ts';
import { passOn } from './grammar/problem.ts';
import { readTarget } from './grammar/read-target.ts';
import { takeFlags } from './grammar/take-flags.ts';

const usage = '/history <service> [<env>]';

/** Without an environment: the history of every environment of the service. */
export const history: CommandSpec<'history'> = {
  name: 'history',
  policy: { kind: 'read' },
  aliases: ['log'],
  summary: 'List the recent deploys of a service.',
  usage,
  examples: ['/history api', '/history api production'],
  schema: HistoryCommand,
  parse(args, ctx) {
    const taken = takeFlags('history', usage, args, []);
    if (taken.kind === 'problem') return passOn(taken);
    const target = readTarget(positional('history', usage, args, taken.value.positions), ctx, { serviceRequired: true, restIsText: false });
    if (target.kind === 'problem') return passOn(target);
    const { service, env } = target.value;
    const command: HistoryCommand = { verb: 'history', service };
    if (env !== undefined) command.env = env;
    return { kind: 'command', command };
  },
};
