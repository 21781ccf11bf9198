import type { CommandOf } from './schema.ts';
import type { CommandSpec } from './spec.ts';
import { positional } from './grammar/positional.ts';
import { passOn } from './grammar/problem.ts';
import { readTarget } from './grammar/read-target.ts';
import { takeFlags } from './grammar/take-flags.ts';

type InFlightVerb = 'promote' | 'pause' | 'resume';

/**
 * The shared grammar of the verbs that steer a deploy in flight: `[<service> [<env>]]` (and `--full` for promote). Which deploy is meant
 * when parts are left out is decided by the pipeline, which knows what is in flight.
 */
export function inFlightSpec<V extends InFlightVerb>(
  verb: V,
  schema: CommandSpec<V>['schema'],
  summary: string,
  examples: readonly string[],
): CommandSpec<V> {
  // Only a promotion can go all the way at once: `--full` skips every remaining step.
  const full = verb === 'promote';
  const usage = `/${verb} [<service> [<env>]]${full ? ' [--full]' : ''}`;
  return {
    name: verb,
    // Steering a deploy in flight is the owners' and on-call's call, like abort.
    policy: { kind: 'decision', package: 'actions', rule: 'decision' },
    aliases: [],
    summary,
    usage,
    examples,
    schema,
    parse(args, ctx) {
      const taken = takeFlags(verb, usage, args, full ? ['full'] : []);
      if (taken.kind === 'problem') return passOn(taken);
      const target = readTarget(positional(verb, usage, args, taken.value.positions), ctx, { serviceRequired: false, restIsText: false });
      if (target.kind === 'problem') return passOn(target);
      const command: { verb: V; service?: string; env?: string; full?: true } = { verb };
      if (target.value.service !== undefined) command.service = target.value.service;
      if (target.value.env !== undefined) command.env = target.value.env;
      if (taken.value.flags.full) command.full = true;
      // Every in-flight verb's command has exactly this shape (see schema.ts); the spec's schema re-checks it.
      return { kind: 'command', command: command as CommandOf<V> };
    },
  };
}
