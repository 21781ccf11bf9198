import { RollbackCommand } from './schema.ts';
import type { CommandSpec } from './spec.ts';
import { closestMatch } from './grammar/closest-match.ts';
import { isKeyword } from './grammar/is-keyword.ts';
import { positional } from './grammar/positional.ts';
import { invalidArgument, missingArgument, passOn } from './grammar/problem.ts';
import { lineInserting } from './grammar/suggest-line.ts';
import { listNames, shown } from './grammar/format-words.ts';
import { defaultEnvOf, findEnv, unknownEnv } from './grammar/read-env.ts';
import { readService } from './grammar/read-service.ts';
import { isVersionOf, readVersion } from './grammar/read-version.ts';
import { takeFlags } from './grammar/take-flags.ts';
import { unexpectedWord } from './grammar/unexpected.ts';

const usage = '/rollback <service> [<env>] [to <version>] [--reason "…"]';

/** `/rollback api production to v1.4.0`. Without a version: the previous revision. `to` may be left out. */
export const rollback: CommandSpec<'rollback'> = {
  name: 'rollback',
  policy: { kind: 'decision', package: 'rollback', rule: 'decision' },
  aliases: ['undo'],
  summary: 'Put a service back on its previous version (or a version you name).',
  usage,
  examples: ['/rollback api', '/rollback api production', '/rollback api production to v1.4.0 --reason "errors after v1.5.0"'],
  schema: RollbackCommand,
  parse(args, ctx) {
    const taken = takeFlags('rollback', usage, args, ['reason']);
    if (taken.kind === 'problem') return passOn(taken);
    const words = positional('rollback', usage, args, taken.value.positions);
    const service = readService(words.where(0), ctx);
    if (service.kind === 'problem') return passOn(service);
    const name = service.value;
    const entry = ctx.catalog.services[name];
    if (entry === undefined) return invalidArgument(`Unknown service \`${name}\`.`, { usage });

    let env: string | undefined;
    let toVersion: string | undefined;
    for (let k = 1; k < words.count; k += 1) {
      const word = words.token(k);
      if (word === undefined) break;
      if (isKeyword(word, 'to')) {
        if (words.token(k + 1) === undefined) return missingArgument('`to` needs the version to go back to.', { usage });
        if (toVersion !== undefined) return invalidArgument('The version is given twice.', { usage });
        // `to production` reads naturally too; accept an environment after `to` when it is not a version.
        const next = words.token(k + 1);
        const envAfterTo = next && !next.quoted && !isVersionOf(next.text, entry) ? findEnv(next.text, entry) : undefined;
        if (envAfterTo !== undefined && env === undefined) {
          env = envAfterTo;
          k += 1;
          continue;
        }
        const read = readVersion(words.where(k + 1), name, entry);
        if (read.kind === 'problem') return passOn(read);
        toVersion = read.value;
        k += 1;
        continue;
      }
      const bareEnv = word.quoted ? undefined : findEnv(word.text, entry);
      if (bareEnv !== undefined && env === undefined) {
        env = bareEnv;
        continue;
      }
      if (isVersionOf(word.text, entry) && toVersion === undefined) {
        toVersion = word.text;
        continue;
      }
      if (env === undefined && closestMatch(word.text, entry.environments) !== undefined) {
        return unknownEnv(words.where(k), name, entry.environments);
      }
      if (toVersion === undefined && k === words.count - 1 && /\d/.test(word.text)) {
        // Probably a version in the wrong shape: let readVersion explain the pattern.
        const read = readVersion(words.where(k), name, entry);
        if (read.kind === 'problem') return passOn(read);
      }
      return unexpectedWord(words.where(k), `\`${shown(word.text)}\` is neither an environment of \`${name}\` nor a version.`);
    }
    env ??= defaultEnvOf(entry);
    if (env === undefined) {
      return missingArgument(`Which environment? \`${name}\` has ${listNames(entry.environments)}.`, {
        usage,
        suggestion: lineInserting('rollback', args, words.where(1).index, [entry.environments[0] ?? '<env>']),
      });
    }
    const command: RollbackCommand = { verb: 'rollback', service: name, env };
    if (toVersion !== undefined) command.toVersion = toVersion;
    if (taken.value.flags.reason !== undefined) command.reason = taken.value.flags.reason;
    return { kind: 'command', command };
  },
};
