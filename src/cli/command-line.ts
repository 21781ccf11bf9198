import { parseArgs } from 'node:util';

/** An option that takes a value (`--config FILE`); Deckhand's commands have no bare flags besides --help. */
export interface OptionSpec {
  readonly name: string;
  /** The placeholder shown in the help: `FILE`, `N`. */
  readonly value: string;
  readonly description: string;
  /** Applied when the option is absent, and shown in the help, so the two cannot drift apart. */
  readonly default?: string;
  /** A problem with the given value, in words, or undefined when it is fine. */
  readonly check?: (value: string) => string | undefined;
}

export interface ArgumentSpec {
  readonly name: string;
  readonly description: string;
  readonly required?: boolean;
}

export interface CommandArgs {
  readonly values: Readonly<Record<string, string | undefined>>;
  readonly positionals: readonly string[];
}

export interface CommandIo {
  readonly out: NodeJS.WritableStream;
  readonly err: NodeJS.WritableStream;
}

interface CommandText {
  /** The word typed: `start`, or `export` under `audit`. */
  readonly name: string;
  /** One line, shown in the parent's list of commands and at the top of its own help. */
  readonly summary: string;
  /** Paragraphs for its own help: what it does, what it needs, what it exits with. */
  readonly description?: readonly string[];
  readonly examples?: readonly { readonly command: string; readonly note: string }[];
}

/** A command that runs. Its help is made from this alone. */
export interface LeafCommand extends CommandText {
  readonly arguments?: readonly ArgumentSpec[];
  readonly options?: readonly OptionSpec[];
  /** Loads the command's module only when it runs, so `--help` and mistakes are answered at once. */
  readonly run: (args: CommandArgs, io: CommandIo) => Promise<number>;
  readonly subcommands?: undefined;
}

/** A word that only groups commands: `policy`, `audit`, and the root `deckhand`. */
export interface GroupCommand extends CommandText {
  readonly subcommands: readonly CommandSpec[];
}

export type CommandSpec = LeafCommand | GroupCommand;

const WIDTH = 100;
const HELP_LINE = { left: '-h, --help', text: 'show this help' };

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return line ? [...lines, line] : lines;
}

/** Two columns: the left one as wide as its widest entry, the right one wrapped under itself. */
function table(rows: readonly { left: string; text: string }[]): string[] {
  const left = Math.max(...rows.map((r) => r.left.length)) + 3;
  return rows.flatMap((r) => {
    const [first = '', ...more] = wrap(r.text, Math.max(WIDTH - left - 2, 30));
    return [`  ${r.left.padEnd(left)}${first}`, ...more.map((m) => `  ${' '.repeat(left)}${m}`)];
  });
}

/** Every command that runs below `spec`, with its path from there: `test`, or `policy test` from the root. */
function leaves(spec: CommandSpec, prefix: readonly string[] = []): { path: string; spec: CommandSpec }[] {
  if (!spec.subcommands) return [{ path: prefix.join(' '), spec }];
  return spec.subcommands.flatMap((sub) => leaves(sub, [...prefix, sub.name]));
}

function argumentsUsage(spec: CommandSpec): string {
  if (spec.subcommands) return '';
  return (spec.arguments ?? []).map((a) => (a.required ? ` <${a.name}>` : ` [${a.name}]`)).join('');
}

/** The help of one command, for a person: what it does, how to call it, its options with defaults, examples. */
export function formatHelp(spec: CommandSpec, path: readonly string[]): string {
  const name = path.join(' ');
  const lines = [`${name} — ${spec.summary}`, ''];
  if (spec.subcommands) {
    lines.push(`Usage: ${name} <command> [options]`, '', 'Commands:');
    const rows = spec.subcommands.flatMap((sub) => leaves(sub, [sub.name]).map((l) => ({ left: `${l.path}${argumentsUsage(l.spec)}`, text: l.spec.summary })));
    lines.push(...table(rows));
    for (const paragraph of spec.description ?? []) lines.push('', ...wrap(paragraph, WIDTH));
    lines.push('', 'Options:', ...table([HELP_LINE]));
  } else {
    lines.push(`Usage: ${name}${spec.options?.length ? ' [options]' : ''}${argumentsUsage(spec)}`);
    for (const paragraph of spec.description ?? []) lines.push('', ...wrap(paragraph, WIDTH));
    if (spec.arguments?.length) {
      lines.push('', 'Arguments:', ...table(spec.arguments.map((a) => ({ left: a.name, text: a.description }))));
    }
    const options = (spec.options ?? []).map((o) => ({
      left: `--${o.name} ${o.value}`,
      text: o.default === undefined ? o.description : `${o.description} (default: ${o.default})`,
    }));
    lines.push('', 'Options:', ...table([...options, HELP_LINE]));
  }
  if (spec.examples?.length) {
    lines.push('', 'Examples:');
    for (const e of spec.examples) lines.push(`  ${e.command}`, ...wrap(e.note, WIDTH - 6).map((l) => `      ${l}`));
  }
  if (spec.subcommands) lines.push('', `Run \`${name} <command> --help\` for the options of one command.`);
  return `${lines.join('\n')}\n`;
}

type Outcome = { kind: 'run'; args: CommandArgs } | { kind: 'help' } | { kind: 'mistake'; problem: string };

/** The option a parseArgs error is about, from its message (`Unknown option '--x'`, `Option '--port <value>' …`). */
function optionIn(message: string): string | undefined {
  return /'(-{1,2}[^\s'=]+)/.exec(message)?.[1];
}

function parseLeaf(spec: LeafCommand, argv: readonly string[]): Outcome {
  const beforeDashes = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  // Asking for help wins over any mistake next to it: `deckhand start --bogus --help` shows the help.
  if (beforeDashes.includes('--help') || beforeDashes.includes('-h')) return { kind: 'help' };
  const specs = spec.options ?? [];
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv], strict: true, allowPositionals: true,
      options: Object.fromEntries(specs.map((o) => [o.name, { type: 'string' as const }])),
    });
  } catch (e) {
    const { code, message } = e as { code?: string; message: string };
    const option = optionIn(message);
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return { kind: 'mistake', problem: `unknown option ${option}.` };
    const known = specs.find((o) => `--${o.name}` === option);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && known) return { kind: 'mistake', problem: `${option} needs a value: ${option} ${known.value}.` };
    return { kind: 'mistake', problem: message };
  }
  const values: Record<string, string | undefined> = {};
  for (const o of specs) {
    const value = parsed.values[o.name];
    const given = typeof value === 'string' ? value : undefined;
    const problem = given === undefined ? undefined : o.check?.(given);
    if (problem) return { kind: 'mistake', problem: `--${o.name} ${given}: ${problem}` };
    values[o.name] = given ?? o.default;
  }
  const args = spec.arguments ?? [];
  const extra = parsed.positionals[args.length];
  if (extra !== undefined) return { kind: 'mistake', problem: `unexpected argument "${extra}".` };
  const missing = args.find((a, i) => a.required && parsed.positionals[i] === undefined);
  if (missing) return { kind: 'mistake', problem: `${missing.name} is missing: ${missing.description}.` };
  return { kind: 'run', args: { values, positionals: parsed.positionals } };
}

function list(words: readonly string[], last: 'or' | 'and'): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} ${last} ${words.at(-1)}`;
}

/**
 * Runs the command line against a tree of commands: finds the command, answers `--help` (exit 0), refuses mistakes
 * with one line naming them and pointing at the help (exit 2), else runs it and returns its exit code.
 */
export async function runCommandLine(root: CommandSpec, argv: readonly string[], io: CommandIo): Promise<number> {
  // `deckhand help policy eval` is `deckhand policy eval --help`.
  let rest = argv[0] === 'help' ? [...argv.slice(1), '--help'] : [...argv];
  let spec = root;
  const path = [root.name];
  const refuse = (problem: string): number => {
    io.err.write(`${path.join(' ')}: ${problem} See \`${path.join(' ')} --help\`.\n`);
    return 2;
  };
  while (spec.subcommands) {
    const [word, ...after] = rest;
    if (word === '--help' || word === '-h' || (word === undefined && spec === root)) {
      io.out.write(formatHelp(spec, path));
      return 0;
    }
    const names = spec.subcommands.map((s) => s.name);
    if (word === undefined) return refuse(`which one: ${list(names, 'or')}?`);
    const sub = spec.subcommands.find((s) => s.name === word);
    if (!sub) {
      const what = word.startsWith('-') ? `unknown option ${word}.` : `unknown command "${word}".`;
      return refuse(`${what} ${names.length === 1 ? 'The only command is' : 'The commands are'} ${list(names, 'and')}.`);
    }
    spec = sub;
    path.push(word);
    rest = after;
  }
  const outcome = parseLeaf(spec, rest);
  if (outcome.kind === 'help') {
    io.out.write(formatHelp(spec, path));
    return 0;
  }
  if (outcome.kind === 'mistake') return refuse(outcome.problem);
  return spec.run(outcome.args, io);
}
