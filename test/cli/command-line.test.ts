import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { formatHelp, runCommandLine, type CommandArgs, type CommandSpec } from '../../src/cli/command-line.ts';

function capture(): { stream: PassThrough; text(): string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c: Buffer) => { text += c.toString('utf8'); });
  return { stream, text: () => text };
}

const calls: CommandArgs[] = [];
const TOOL: CommandSpec = {
  name: 'tool',
  summary: 'a tool',
  subcommands: [
    {
      name: 'serve',
      summary: 'serve things',
      description: ['Serves every thing it finds until Ctrl-C, and this sentence is long enough to be wrapped onto a second line of the help.'],
      arguments: [{ name: 'DIR', description: 'where the things are' }],
      options: [
        { name: 'port', value: 'N', description: 'the port', default: '8080', check: (v) => (/^\d+$/.test(v) ? undefined : 'not a number.') },
        { name: 'name', value: 'TEXT', description: 'a name' },
      ],
      examples: [{ command: 'tool serve --port 9000 ./things', note: 'the things on 9000' }],
      run: async (args) => { calls.push(args); return 7; },
    },
  ],
};

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = capture();
  const err = capture();
  const code = await runCommandLine(TOOL, argv, { out: out.stream, err: err.stream });
  return { code, out: out.text(), err: err.text() };
}

describe('formatHelp', () => {
  it('writes what a command does, how to call it, its options with defaults and examples', () => {
    const leaf = TOOL.subcommands?.[0];
    if (!leaf) throw new Error('no leaf');
    expect(formatHelp(leaf, ['tool', 'serve'])).toBe([
      'tool serve — serve things',
      '',
      'Usage: tool serve [options] [DIR]',
      '',
      'Serves every thing it finds until Ctrl-C, and this sentence is long enough to be wrapped onto a',
      'second line of the help.',
      '',
      'Arguments:',
      '  DIR   where the things are',
      '',
      'Options:',
      '  --port N      the port (default: 8080)',
      '  --name TEXT   a name',
      '  -h, --help    show this help',
      '',
      'Examples:',
      '  tool serve --port 9000 ./things',
      '      the things on 9000',
      '',
    ].join('\n'));
  });

  it('lists a group\'s commands with their arguments', () => {
    expect(formatHelp(TOOL, ['tool'])).toContain('Commands:\n  serve [DIR]   serve things\n');
  });
});

describe('runCommandLine', () => {
  it('runs the command with its options, defaults filled in, and returns its exit code', async () => {
    calls.length = 0;
    expect((await run(['serve', '--name=x', './things'])).code).toBe(7);
    expect(calls).toEqual([{ values: { port: '8080', name: 'x' }, positionals: ['./things'] }]);
  });

  it('takes what follows -- as arguments, even --help', async () => {
    calls.length = 0;
    expect((await run(['serve', '--', '--help'])).code).toBe(7);
    expect(calls[0]?.positionals).toEqual(['--help']);
  });

  it('answers --help on stdout with exit 0, without running the command', async () => {
    calls.length = 0;
    const r = await run(['serve', '--port', 'x', '--help']);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(/^tool serve — serve things\n/);
    expect(calls).toEqual([]);
  });

  it.each([
    [['serve', '-x'], 'tool serve: unknown option -x. See `tool serve --help`.'],
    [['serve', '--port', 'x'], 'tool serve: --port x: not a number. See `tool serve --help`.'],
    [['serve', '--name'], 'tool serve: --name needs a value: --name TEXT. See `tool serve --help`.'],
    [['serve', 'a', 'b'], 'tool serve: unexpected argument "b". See `tool serve --help`.'],
    [['serv'], 'tool: unknown command "serv". The only command is serve. See `tool --help`.'],
  ])('refuses %j with exit 2 and one line on stderr', async (argv, message) => {
    calls.length = 0;
    expect(await run(argv)).toEqual({ code: 2, out: '', err: `${message}\n` });
    expect(calls).toEqual([]);
  });
});
