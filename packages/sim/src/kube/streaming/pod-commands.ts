import type { Pod } from '../kube-types.ts';
import type { PodHttpResponse } from './pod-http.ts';

/** What a command inside a simulated container can see and reach. */
export interface CommandContext {
  pod: Pod;
  env: Record<string, string>;
  /** The few files the container has: /etc/hostname, /etc/hosts, /etc/resolv.conf … */
  files: Record<string, string>;
  /** An HTTP request to the pod's own port; 'refused' when nothing listens there. */
  http(port: number, method: string, path: string): Promise<PodHttpResponse | 'refused'>;
  /** Aborted when the client goes away: long commands (sleep) stop. */
  signal: AbortSignal;
  now(): number;
}

/** Standard streams of one command. `stdin` resolves undefined at end of input. */
export interface CommandIO {
  out(text: string | Buffer): void;
  err(text: string): void;
  readStdin(): Promise<Buffer | undefined>;
}

type Command = (args: string[], ctx: CommandContext, io: CommandIO) => Promise<number>;

const ok = (): Promise<number> => Promise.resolve(0);

/**
 * The commands a simulated container runs — a busybox-like handful, enough to look around (`env`, `cat
 * /etc/hostname`) and to call the pod's own HTTP endpoint (`wget -qO- localhost:8080/healthz`). Anything else is
 * "not found", said plainly with this list.
 */
const COMMANDS: Record<string, Command> = {
  env: (_args, ctx, io) => {
    io.out(Object.entries(ctx.env).map(([k, v]) => `${k}=${v}\n`).join(''));
    return ok();
  },
  printenv: (args, ctx, io) => {
    if (args.length === 0) return COMMANDS.env?.(args, ctx, io) ?? ok();
    const found = args.filter((name) => name in ctx.env);
    io.out(found.map((name) => `${ctx.env[name] ?? ''}\n`).join(''));
    return Promise.resolve(found.length === args.length ? 0 : 1);
  },
  hostname: (_args, ctx, io) => {
    io.out(`${ctx.pod.metadata.name ?? ''}\n`);
    return ok();
  },
  cat: async (args, ctx, io) => {
    if (args.length === 0 || args[0] === '-') {
      for (let chunk = await io.readStdin(); chunk !== undefined; chunk = await io.readStdin()) io.out(chunk);
      return 0;
    }
    let code = 0;
    for (const path of args) {
      const content = ctx.files[path];
      if (content === undefined) {
        io.err(`cat: can't open '${path}': No such file or directory\n`);
        code = 1;
      } else io.out(content);
    }
    return code;
  },
  echo: (args, _ctx, io) => {
    const noNewline = args[0] === '-n';
    io.out(`${(noNewline ? args.slice(1) : args).join(' ')}${noNewline ? '' : '\n'}`);
    return ok();
  },
  date: (_args, ctx, io) => {
    io.out(`${new Date(ctx.now()).toUTCString().replace('GMT', 'UTC')}\n`);
    return ok();
  },
  uname: (args, ctx, io) => {
    io.out(args.includes('-a') ? `Linux ${ctx.pod.metadata.name ?? ''} 6.8.0 #1 SMP x86_64 GNU/Linux\n` : 'Linux\n');
    return ok();
  },
  id: (_args, _ctx, io) => {
    io.out('uid=0(root) gid=0(root) groups=0(root)\n');
    return ok();
  },
  whoami: (_args, _ctx, io) => {
    io.out('root\n');
    return ok();
  },
  pwd: (_args, _ctx, io) => {
    io.out('/\n');
    return ok();
  },
  ls: (args, ctx, io) => {
    const dir = (args.find((a) => !a.startsWith('-')) ?? '/').replace(/\/+$/, '') || '/';
    const entries = dir === '/' ? ['bin', 'dev', 'etc', 'home', 'proc', 'root', 'sys', 'tmp', 'usr', 'var'] : Object.keys(ctx.files).filter((f) => f.startsWith(`${dir}/`)).map((f) => f.slice(dir.length + 1).split('/')[0] ?? '');
    if (entries.length === 0) {
      io.err(`ls: ${dir}: No such file or directory\n`);
      return Promise.resolve(1);
    }
    io.out(`${[...new Set(entries)].sort().join('\n')}\n`);
    return ok();
  },
  sleep: (args, ctx) => {
    const seconds = Math.min(Number(args[0] ?? 0) || 0, 3600);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(0), seconds * 1000);
      ctx.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve(143);
      }, { once: true });
    });
  },
  true: ok,
  false: () => Promise.resolve(1),
  wget: (args, ctx, io) => fetchUrl('wget', args, ctx, io),
  curl: (args, ctx, io) => fetchUrl('curl', args, ctx, io),
};

/** Names of the commands the simulated container has, for "not found" messages. */
export const COMMAND_NAMES: readonly string[] = [...Object.keys(COMMANDS), 'sh', 'exit'].sort();

/** `/bin/cat` and `cat` are the same program. */
export function commandName(argv0: string): string {
  return argv0.split('/').pop() ?? argv0;
}

export function isKnownCommand(argv0: string): boolean {
  const name = commandName(argv0);
  return name in COMMANDS || SHELLS.has(name);
}

export const SHELLS = new Set(['sh', 'bash', 'ash']);

/** Runs one simple command (no shell syntax). The shell itself is in pod-shell.ts. */
export function runSimpleCommand(argv: string[], ctx: CommandContext, io: CommandIO): Promise<number> {
  const name = commandName(argv[0] ?? '');
  const command = COMMANDS[name];
  if (!command) {
    io.err(`sh: ${name}: not found (the simulated container has: ${COMMAND_NAMES.join(', ')})\n`);
    return Promise.resolve(127);
  }
  return command(argv.slice(1), ctx, io);
}

/**
 * `wget -qO- URL` and `curl [-sfi] URL` against the pod itself. Only the pod's own addresses resolve: the sim has
 * no cluster network, so another host is "bad address" / "could not resolve host", as on a pod without DNS.
 */
async function fetchUrl(tool: 'wget' | 'curl', args: string[], ctx: CommandContext, io: CommandIO): Promise<number> {
  const flags = new Set(args.filter((a) => a.startsWith('-')).flatMap((a) => (a.startsWith('--') ? [a] : [...a.slice(1)].map((c) => `-${c}`))));
  const outputIndex = args.findIndex((a) => a === '-O' || a === '-qO' || a === '-o');
  const output = outputIndex >= 0 ? args[outputIndex + 1] : args.find((a) => /^-q?O./.test(a))?.replace(/^-q?O/, '');
  const target = args.find((a, i) => !a.startsWith('-') && (outputIndex < 0 || i !== outputIndex + 1));
  if (!target) {
    io.err(tool === 'wget' ? 'BusyBox wget: missing URL\n' : 'curl: no URL specified\n');
    return 1;
  }
  if (tool === 'wget' && output !== undefined && output !== '-') {
    io.err(`wget: can't open '${output}': Read-only file system\n`);
    return 1;
  }
  const url = new URL(/^[a-z]+:\/\//i.test(target) ? target : `http://${target}`);
  const local = new Set(['localhost', '127.0.0.1', '0.0.0.0', '[::1]', ctx.pod.metadata.name ?? '', ctx.pod.status?.podIP ?? '']);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  if (!local.has(url.hostname)) {
    io.err(tool === 'wget' ? `wget: bad address '${url.hostname}' (a simulated pod reaches only its own ports, on localhost)\n` : `curl: (6) Could not resolve host: ${url.hostname} (a simulated pod reaches only its own ports, on localhost)\n`);
    return tool === 'wget' ? 1 : 6;
  }
  const quiet = flags.has('-q') || flags.has('-s') || flags.has('--silent') || flags.has('--quiet');
  if (tool === 'wget' && !quiet) io.err(`Connecting to ${url.host} (127.0.0.1:${port})\n`);
  const res = await ctx.http(port, flags.has('-I') || flags.has('--head') ? 'HEAD' : 'GET', `${url.pathname}${url.search}`);
  if (res === 'refused') {
    io.err(tool === 'wget' ? `wget: can't connect to remote host (127.0.0.1): Connection refused\n` : `curl: (7) Failed to connect to ${url.hostname} port ${port} after 0 ms: Couldn't connect to server\n`);
    return tool === 'wget' ? 1 : 7;
  }
  if (tool === 'wget' && res.status >= 400) {
    io.err(`wget: server returned error: HTTP/1.1 ${res.status} ${statusText(res.status)}\n`);
    return 1;
  }
  if (tool === 'curl' && res.status >= 400 && (flags.has('-f') || flags.has('--fail'))) {
    if (!quiet || flags.has('-S')) io.err(`curl: (22) The requested URL returned error: ${res.status}\n`);
    return 22;
  }
  if (tool === 'curl' && (flags.has('-i') || flags.has('-I'))) {
    const headers = Object.entries(res.headers ?? {}).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    io.out(`HTTP/1.1 ${res.status} ${statusText(res.status)}\r\n${headers}\r\n`);
  }
  io.out(res.body);
  return 0;
}

function statusText(status: number): string {
  const texts: Record<number, string> = { 200: 'OK', 201: 'Created', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable' };
  return texts[status] ?? '';
}
