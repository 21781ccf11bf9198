import { StatusCommand } from './schema.ts';
import type { CommandSpec } from './spec.ts';
import { positional } from './grammar/positional.ts';
import { closestMatch } from './grammar/closest-match.ts';
import { invalidArgument, passOn } from './grammar/problem.ts';
import { lineWith } from './grammar/suggest-line.ts';
import { shown } from './grammar/format-words.ts';
import { allEnvs, readEnv } from './grammar/read-env.ts';
import { findService, readService } from './grammar/read-service.ts';
import { takeFlags } from './grammar/take-flags.ts';
import { unexpectedWord } from './grammar/unexpected.ts';

const usage = '/status [<service> | all] [<env>]';

/** `/status`, `/status api`, `/status api production`, and `/status production` (every service there). */
export const status: CommandSpec<'status'> = {
  name: 'status',
  policy: { kind: 'read' },
  aliases: [],
  summary: 'Show what is running and what is in flight.',
  usage,
  examples: ['/status', '/status api', '/status api production', '/status production'],
  schema: StatusCommand,
  parse(args, ctx) {
    const taken = takeFlags('status', usage, args, []);
    if (taken.kind === 'problem') return passOn(taken);
    const words = positional('status', usage, args, taken.value.positions);
    const first = words.token(0);
    // `/status all` reads naturally; it means the same as `/status`.
    if (first === undefined || (words.count === 1 && !first.quoted && first.text.toLowerCase() === 'all' && findService('all', ctx) === undefined)) {
      return { kind: 'command', command: { verb: 'status' } };
    }
    if (words.count > 2) return unexpectedWord(words.where(2));

    if (findService(first.text, ctx) === undefined && words.count === 1) {
      const envs = allEnvs(ctx);
      const lower = first.text.toLowerCase();
      const env = envs.find((e) => e.toLowerCase() === lower);
      if (env !== undefined) return { kind: 'command', command: { verb: 'status', env } };
      // `/status prod`: not near a service, but near an environment.
      const nearEnv = closestMatch(first.text, envs);
      if (closestMatch(first.text, Object.keys(ctx.catalog.services)) === undefined && nearEnv !== undefined) {
        return invalidArgument(`There is no service or environment \`${shown(first.text)}\`. Did you mean \`${nearEnv}\`?`, {
          suggestion: lineWith('status', args, words.where(0).index, nearEnv),
          usage,
        });
      }
    }
    const service = readService(words.where(0), ctx);
    if (service.kind === 'problem') return passOn(service);
    if (words.count === 1) return { kind: 'command', command: { verb: 'status', service: service.value } };
    const env = readEnv(words.where(1), service.value, ctx);
    if (env.kind === 'problem') return passOn(env);
    return { kind: 'command', command: { verb: 'status', service: service.value, env: env.value } };
  },
};
