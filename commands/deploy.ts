import type { Strategy } from '../src/deploy/index.ts';
import type { ParseContext, Token } from '../src/parse/types.ts';
import { DeployCommand } from './schema.ts';
import type { CommandSpec } from './spec.ts';
import { closestMatch } from './grammar/closest-match.ts';
import { isKeyword } from './grammar/is-keyword.ts';
import { positional } from './grammar/positional.ts';
import { invalidArgument, missingArgument, passOn } from './grammar/problem.ts';
import { lineInserting, lineReplacing, lineWith, quoteWord } from './grammar/suggest-line.ts';
import { listNames, shown } from './grammar/format-words.ts';
import { defaultEnvOf, findEnv, readEnv, unknownEnv } from './grammar/read-env.ts';
import { findService, readService } from './grammar/read-service.ts';
import { defaultStrategy, looksLikePercent, readStrategy, STRATEGY_NAMES, strategyWord } from './grammar/read-strategy.ts';
import { isVersionOf, readVersion, versionExampleOf } from './grammar/read-version.ts';
import { takeFlags } from './grammar/take-flags.ts';
import { unexpectedWord } from './grammar/unexpected.ts';

/** `api@v1.5.0`, a common way to write a version of a service, is read as the two words `api v1.5.0`. */
function splitAtSign(args: readonly Token[], ctx: ParseContext): readonly Token[] {
  const index = args.findIndex((t) => !t.text.startsWith('--'));
  const word = args[index];
  const at = word && !word.quoted ? word.text.indexOf('@') : -1;
  if (word === undefined || at <= 0 || findService(word.text.slice(0, at), ctx) === undefined) return args;
  const parts = [{ text: word.text.slice(0, at), quoted: false }, { text: word.text.slice(at + 1), quoted: false }];
  return [...args.slice(0, index), ...parts, ...args.slice(index + 1)];
}

const usage = '/deploy <service> <version> [to <env>] [rolling | canary [<N>%] | bluegreen] [--dry-run] [--reason "…"]';

/**
 * `/deploy api v1.5.0 to production canary 10% --reason "fixes login"`. After the version, the environment
 * (with or without `to`) and the strategy may come in either order; flags may go anywhere.
 */
export const deploy: CommandSpec<'deploy'> = {
  name: 'deploy',
  policy: { kind: 'decision', package: 'deploy', rule: 'decision' },
  aliases: ['ship'],
  summary: 'Roll a version of a service out to an environment.',
  usage,
  examples: [
    '/deploy api v1.5.0',
    '/deploy api v1.5.0 to production canary 10%',
    '/deploy web v2.1.0 to production bluegreen --reason "spring sale banner"',
    '/deploy api v1.5.0 to production --dry-run',
  ],
  schema: DeployCommand,
  parse(typed, ctx) {
    const args = splitAtSign(typed, ctx);
    const taken = takeFlags('deploy', usage, args, ['dry-run', 'reason']);
    if (taken.kind === 'problem') return passOn(taken);
    const words = positional('deploy', usage, args, taken.value.positions);

    const service = readService(words.where(0), ctx);
    if (service.kind === 'problem') {
      // `/deploy v1.5.0 api`: the two first words swapped.
      const second = words.token(1);
      const swapped = second && findService(second.text, ctx);
      const first = words.token(0);
      if (swapped && first) {
        const line = lineReplacing('deploy', args, new Map([[words.where(0).index, swapped], [words.where(1).index, quoteWord(first.text)]]));
        return invalidArgument(`The service comes before the version: \`/deploy ${swapped} ${shown(first.text)}\`.`, { suggestion: line, usage });
      }
      return passOn(service);
    }
    const name = service.value;
    const entry = ctx.catalog.services[name];
    if (entry === undefined) return invalidArgument(`Unknown service \`${name}\`.`, { usage });

    const versionWord = words.token(1);
    if (versionWord === undefined || isKeyword(versionWord, 'to') || strategyWord(versionWord) || (findEnv(versionWord.text, entry) && !isVersionOf(versionWord.text, entry))) {
      const example = versionExampleOf(entry) ?? '<version>';
      return missingArgument(`Which version of \`${name}\`? The version comes right after the service, like \`/deploy ${name} ${example}\`.`, {
        usage,
        suggestion: versionWord === undefined ? undefined : lineInserting('deploy', args, words.where(1).index, [example]),
      });
    }
    const version = readVersion(words.where(1), name, entry);
    if (version.kind === 'problem') return passOn(version);

    let env: string | undefined;
    let strategy: Strategy | undefined;
    for (let k = 2; k < words.count; k += 1) {
      const word = words.token(k);
      if (word === undefined) break;
      const placed = () => invalidArgument(`The environment is given twice (\`${env}\` and \`${shown(word.text)}\`).`, { usage });
      if (isKeyword(word, 'to')) {
        if (words.token(k + 1) === undefined) {
          return missingArgument(`\`to\` needs an environment of \`${name}\`: ${listNames(entry.environments)}.`, { usage });
        }
        if (env !== undefined) return placed();
        const read = readEnv(words.where(k + 1), name, ctx);
        if (read.kind === 'problem') return passOn(read);
        env = read.value;
        k += 1;
        continue;
      }
      if (strategyWord(word)) {
        if (strategy !== undefined) return invalidArgument(`The strategy is given twice (\`${strategy.kind}\` and \`${shown(word.text)}\`).`, { usage });
        const read = readStrategy(words.where(k));
        if (read.kind === 'problem') return passOn(read);
        strategy = read.value.strategy;
        k += read.value.used - 1;
        continue;
      }
      const bareEnv = word.quoted ? undefined : findEnv(word.text, entry);
      if (bareEnv !== undefined) {
        if (env !== undefined) return placed();
        env = bareEnv;
        continue;
      }
      if (looksLikePercent(word) && strategy === undefined) {
        return invalidArgument(`A percentage only goes with \`canary\`. Did you mean \`canary ${shown(word.text)}\`?`, {
          suggestion: lineInserting('deploy', args, words.where(k).index, ['canary']),
          usage,
        });
      }
      if (env === undefined && closestMatch(word.text, entry.environments) !== undefined) {
        return unknownEnv(words.where(k), name, entry.environments);
      }
      const nearStrategy = closestMatch(word.text, STRATEGY_NAMES);
      if (strategy === undefined && nearStrategy !== undefined) {
        return invalidArgument(`Unknown strategy \`${shown(word.text)}\`. Did you mean \`${nearStrategy}\`?`, {
          suggestion: lineWith('deploy', args, words.where(k).index, nearStrategy),
          hint: 'Strategies are `rolling`, `canary [<N>%]` and `bluegreen`.',
          usage,
        });
      }
      if (isVersionOf(word.text, entry)) return unexpectedWord(words.where(k), '`/deploy` takes one version.');
      return unexpectedWord(words.where(k));
    }

    env ??= defaultEnvOf(entry);
    if (env === undefined) {
      return missingArgument(`Which environment? \`${name}\` has ${listNames(entry.environments)}; add \`to <env>\`.`, {
        usage,
        suggestion: lineInserting('deploy', args, args.length, ['to', entry.environments[0] ?? '<env>']),
      });
    }
    const command: DeployCommand = {
      verb: 'deploy',
      service: name,
      env,
      version: version.value,
      strategy: strategy ?? defaultStrategy(entry.defaultStrategy),
      dryRun: taken.value.flags.dryRun,
    };
    if (taken.value.flags.reason !== undefined) command.reason = taken.value.flags.reason;
    return { kind: 'command', command };
  },
};
