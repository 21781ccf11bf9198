import { describe, expect, it } from 'vitest';
import { COMMANDS, formatHelp } from '../../commands/index.ts';
import { commandOf, problemOf } from './outcome.ts';

describe('/help', () => {
  it.each([
    ['/help', { verb: 'help' }],
    ['/help deploy', { verb: 'help', topic: 'deploy' }],
    ['/help /rollback', { verb: 'help', topic: 'rollback' }],
    ['/help ship', { verb: 'help', topic: 'deploy' }],
    ['/commands', { verb: 'help' }],
  ])('%s', (text, expected) => {
    expect(commandOf(text)).toEqual(expected);
  });

  it.each([
    ['/help deplyo', { code: 'parse_unknown_command', message: 'There is no command `/deplyo`. Did you mean `/deploy`?', suggestion: '/help deploy' }],
    ['/help kubectl', { code: 'parse_unknown_command', message: 'There is no command `/kubectl`. `/help` lists them all.' }],
    ['/help deploy rollback', { code: 'parse_invalid_argument', message: "I don't know what to do with `rollback` here. `/help` explains one command at a time." }],
  ])('problem: %s', (text, expected) => {
    expect(problemOf(text)).toMatchObject(expected);
  });

  it('lists every command from the registry', () => {
    const text = formatHelp();
    for (const spec of COMMANDS.values()) expect(text).toContain(`\`/${spec.name}\` — ${spec.summary}`);
  });

  it('explains one command with its usage, aliases and examples', () => {
    expect(formatHelp('rollback')).toBe([
      '`/rollback <service> [<env>] [to <version>] [--reason "…"]`',
      'Put a service back on its previous version (or a version you name).',
      'Also: `/undo`',
      'Examples:',
      '• `/rollback api`',
      '• `/rollback api production`',
      '• `/rollback api production to v1.4.0 --reason "errors after v1.5.0"`',
    ].join('\n'));
  });
});
