import { DeployId } from '../../src/deploy/index.ts';
import { invalidArgument, missingArgument, ok } from './problem.ts';
import { shown } from './format-words.ts';
import type { Read } from './problem.ts';
import type { Where } from './where.ts';

/** Reads a deploy id; `#12` is accepted since deploy cards show ids that way. */
export function readDeployId(where: Where): Read<string> {
  const token = where.args[where.index];
  if (token === undefined) {
    return missingArgument(`\`/${where.verb}\` needs the deploy id, the number on the deploy card, like \`/${where.verb} 12\`.`, { usage: where.usage });
  }
  const id = token.text.replace(/^#/, '');
  if (DeployId.safeParse(id).success) return ok(id);
  return invalidArgument(`\`${shown(token.text)}\` is not a deploy id. Deploy ids are the numbers on deploy cards, like \`/${where.verb} 12\`.`, { usage: where.usage });
}
