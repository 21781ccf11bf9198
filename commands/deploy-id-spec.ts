import type { CommandOf } from './schema.ts';
import type { CommandSpec } from './spec.ts';
import { positional } from './grammar/positional.ts';
import { passOn } from './grammar/problem.ts';
import { readDeployId } from './grammar/read-deploy-id.ts';
import { takeFlags } from './grammar/take-flags.ts';
import { unexpectedWord } from './grammar/unexpected.ts';

type DeployIdVerb = 'approve' | 'withdraw';

/** The shared grammar of the votes that name one pending deploy: `/<verb> <deploy-id>`. */
export function deployIdSpec<V extends DeployIdVerb>(
  verb: V,
  schema: CommandSpec<V>['schema'],
  o: { summary: string; aliases?: readonly string[] },
): CommandSpec<V> {
  const usage = `/${verb} <deploy-id>`;
  return {
    name: verb,
    policy: { kind: 'decision', package: 'actions', rule: 'decision' },
    aliases: o.aliases ?? [],
    summary: o.summary,
    usage,
    examples: [`/${verb} 12`],
    schema,
    parse(args) {
      const taken = takeFlags(verb, usage, args, []);
      if (taken.kind === 'problem') return passOn(taken);
      const words = positional(verb, usage, args, taken.value.positions);
      const id = readDeployId(words.where(0));
      if (id.kind === 'problem') return passOn(id);
      if (words.count > 1) return unexpectedWord(words.where(1), `\`/${verb}\` takes one deploy id.`);
      // Both verbs' commands have exactly this shape (see schema.ts); the spec's schema re-checks it.
      return { kind: 'command', command: { verb, deployId: id.value } as CommandOf<V> };
    },
  };
}
