import type { CommandContext, CommandIO } from './pod-commands.ts';
import { runSimpleCommand, SHELLS, commandName } from './pod-commands.ts';

type Step = { argv: string[]; then: ';' | '&&' | '||' };

/** Stands for `$?` until the step runs: the status it names is the previous step's, known only then. */
const LAST_STATUS = '\u0000?\u0000';

/** What a command line parsed into, or the syntax the simulated shell does not have. */
type Parsed = { ok: true; steps: Step[] } | { ok: false; message: string };

/**
 * Splits a command line the way sh would for simple commands: quotes, backslashes, `$VAR`/`${VAR}`, comments,
 * and the `;` `&&` `||` lists. Pipes, redirections and subshells are refused with a plain message.
 */
export function parseCommandLine(line: string, env: Record<string, string>): Parsed {
  const steps: Step[] = [];
  let argv: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  const endWord = () => {
    if (inWord) argv.push(word);
    word = '';
    inWord = false;
  };
  const endStep = (then: Step['then']) => {
    endWord();
    if (argv.length > 0) steps.push({ argv, then });
    argv = [];
  };
  const variable = (): string => {
    const braced = line[i + 1] === '{';
    const match = (braced ? /^\$\{([A-Za-z_][A-Za-z0-9_]*|\?)\}/ : /^\$([A-Za-z_][A-Za-z0-9_]*|\?)/).exec(line.slice(i));
    if (!match) {
      i += 1;
      return '$';
    }
    i += match[0].length;
    return match[1] === '?' ? LAST_STATUS : env[match[1] ?? ''] ?? '';
  };
  while (i < line.length) {
    const ch = line[i] ?? '';
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return { ok: false, message: 'sh: syntax error: unterminated quoted string' };
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (ch === '"') {
      i += 1;
      inWord = true;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1] ?? '')) {
          word += line[i + 1];
          i += 2;
        } else if (line[i] === '$') word += variable();
        else {
          word += line[i];
          i += 1;
        }
      }
      if (i >= line.length) return { ok: false, message: 'sh: syntax error: unterminated quoted string' };
      i += 1;
    } else if (ch === '\\') {
      word += line[i + 1] ?? '';
      inWord = true;
      i += 2;
    } else if (ch === '$') {
      word += variable();
      inWord = true;
    } else if (ch === ' ' || ch === '\t') {
      endWord();
      i += 1;
    } else if (ch === '#' && !inWord) {
      break;
    } else if (ch === ';' || ch === '\n') {
      endStep(';');
      i += 1;
    } else if (line.startsWith('&&', i) || line.startsWith('||', i)) {
      endStep(line.startsWith('&&', i) ? '&&' : '||');
      i += 2;
    } else if ('|<>&()`'.includes(ch)) {
      return { ok: false, message: `sh: '${ch}' is not supported by the simulated shell (simple commands joined by ; && || only)` };
    } else {
      word += ch;
      inWord = true;
      i += 1;
    }
  }
  endStep(';');
  return { ok: true, steps };
}

/** The shell's state across lines: the last status (`$?`) and whether `exit` was called. */
interface ShellState {
  status: number;
  exited: boolean;
}

async function runLine(line: string, ctx: CommandContext, io: CommandIO, state: ShellState): Promise<void> {
  const parsed = parseCommandLine(line, ctx.env);
  if (!parsed.ok) {
    io.err(`${parsed.message}\n`);
    state.status = 2;
    return;
  }
  let skip = false;
  for (const step of parsed.steps) {
    if (!skip) {
      const argv = step.argv.map((word) => word.replaceAll(LAST_STATUS, String(state.status)));
      const name = commandName(argv[0] ?? '');
      if (name === 'exit') {
        state.status = Number(argv[1] ?? state.status) & 0xff;
        state.exited = true;
        return;
      }
      state.status = SHELLS.has(name) ? await runShell(argv.slice(1), ctx, io, false) : await runSimpleCommand(argv, ctx, io);
    }
    skip = (step.then === '&&' && state.status !== 0) || (step.then === '||' && state.status === 0);
  }
}

/**
 * `sh -c 'line'`, or `sh` reading commands from stdin — one per line, or with a terminal (`kubectl exec -it`)
 * as an interactive prompt with echo and line editing. Returns the exit status.
 */
export async function runShell(args: string[], ctx: CommandContext, io: CommandIO, tty: boolean): Promise<number> {
  const state: ShellState = { status: 0, exited: false };
  if (args[0] === '-c') {
    await runLine(args[1] ?? '', ctx, io, state);
    return state.status;
  }
  if (tty) return runInteractive(ctx, io, state);
  let pending = '';
  for (let chunk = await io.readStdin(); chunk !== undefined && !state.exited; chunk = await io.readStdin()) {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      await runLine(line, ctx, io, state);
      if (state.exited) break;
    }
  }
  if (!state.exited && pending.trim() !== '') await runLine(pending, ctx, io, state);
  return state.status;
}

const PROMPT = '/ # ';

/** A terminal session: echoes keys, Backspace, Ctrl-C drops the line, Ctrl-D on an empty line exits. */
async function runInteractive(ctx: CommandContext, io: CommandIO, state: ShellState): Promise<number> {
  io.out(PROMPT);
  let line = '';
  for (let chunk = await io.readStdin(); chunk !== undefined; chunk = await io.readStdin()) {
    const text = chunk.toString('utf8');
    for (let i = 0; i < text.length; i += 1) {
      const ch = text[i] ?? '';
      if (ch === '\r' || ch === '\n') {
        io.out('\n');
        await runLine(line, ctx, io, state);
        line = '';
        if (state.exited) return state.status;
        io.out(PROMPT);
      } else if (ch === '\x7f' || ch === '\b') {
        if (line.length > 0) {
          line = line.slice(0, -1);
          io.out('\b \b');
        }
      } else if (ch === '\x03') {
        line = '';
        io.out(`^C\n${PROMPT}`);
      } else if (ch === '\x04') {
        if (line === '') {
          io.out('exit\n');
          return state.status;
        }
      } else if (ch === '\x1b') {
        // Arrow keys and other escape sequences (ESC [ X): no history in the simulated shell.
        i += text[i + 1] === '[' ? 2 : 1;
      } else if (ch >= ' ') {
        line += ch;
        io.out(ch);
      }
    }
  }
  return state.status;
}
