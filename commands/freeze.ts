import { FreezeCommand } from './schema.ts';
import type { FreezeUntil } from './schema.ts';
import type { CommandSpec } from './spec.ts';
import { isKeyword } from './grammar/is-keyword.ts';
import { positional } from './grammar/positional.ts';
import { invalidArgument, passOn } from './grammar/problem.ts';
import { readAnyEnv } from './grammar/read-env.ts';
import { restText } from './grammar/read-target.ts';
import { readUntil } from './grammar/read-until.ts';
import { takeFlags } from './grammar/take-flags.ts';

const usage = '/freeze <env> [until <time> | for <duration>] [reason]';

/** Stops deploys to an environment for every service. Without `until`/`for`: until `/unfreeze`. */
export const freeze: CommandSpec<'freeze'> = {
  name: 'freeze',
  policy: { kind: 'decision', package: 'actions', rule: 'decision' },
  aliases: [],
  summary: 'Stop all deploys to an environment (a change freeze).',
  usage,
  examples: ['/freeze production until 2026-12-27 holiday freeze', '/freeze production for 2h incident 4711'],
  schema: FreezeCommand,
  parse(args, ctx) {
    const taken = takeFlags('freeze', usage, args, ['reason']);
    if (taken.kind === 'problem') return passOn(taken);
    const words = positional('freeze', usage, args, taken.value.positions);
    const env = readAnyEnv(words.where(0), ctx);
    if (env.kind === 'problem') return passOn(env);
    let next = 1;
    let until: FreezeUntil | undefined;
    const keyword = words.token(1);
    if (isKeyword(keyword, 'until', 'for')) {
      const read = readUntil(words.where(2), keyword?.text.toLowerCase() === 'for' ? 'for' : 'until');
      if (read.kind === 'problem') return passOn(read);
      until = read.value;
      next = 3;
    }
    const rest = restText(words, next);
    if (rest !== undefined && taken.value.flags.reason !== undefined) {
      return invalidArgument('Give the reason once: either at the end or with `--reason`.', { usage });
    }
    const command: FreezeCommand = { verb: 'freeze', env: env.value };
    if (until !== undefined) command.until = until;
    const reason = taken.value.flags.reason ?? rest;
    if (reason !== undefined) command.reason = reason;
    return { kind: 'command', command };
  },
};
