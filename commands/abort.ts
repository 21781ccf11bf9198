import { AbortCommand } from './schema.ts';
import type { CommandSpec } from './spec.ts';
import { positional } from './grammar/positional.ts';
import { passOn } from './grammar/problem.ts';
import { readTarget } from './grammar/read-target.ts';
import { takeFlags } from './grammar/take-flags.ts';

const usage = '/abort <service> [<env>] [--reason "…"]';

/** Without an environment: wherever the service has a deploy in flight (the pipeline asks if several). */
export const abort: CommandSpec<'abort'> = {
  name: 'abort',
  policy: { kind: 'decision', package: 'actions', rule: 'decision' },
  aliases: ['cancel'],
  summary: 'Stop a deploy in flight and put the previous version back.',
  usage,
  examples: ['/abort api', '/abort api production --reason "error rate climbing"'],
  schema: AbortCommand,
  parse(args, ctx) {
    const taken = takeFlags('abort', usage, args, ['reason']);
    if (taken.kind === 'problem') return passOn(taken);
    const target = readTarget(positional('abort', usage, args, taken.value.positions), ctx, { serviceRequired: true, restIsText: false });
    if (target.kind === 'problem') return passOn(target);
    const { service, env } = target.value;
    const command: AbortCommand = { verb: 'abort', service };
    if (env !== undefined) command.env = env;
    if (taken.value.flags.reason !== undefined) command.reason = taken.value.flags.reason;
    return { kind: 'command', command };
  },
};
