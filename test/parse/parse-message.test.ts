import { describe, expect, it } from 'vitest';
import { MAX_COMMAND_LENGTH, parseMessage } from '../../src/parse/index.ts';
import { channel, direct } from './context.ts';

const deployApi = { verb: 'deploy', service: 'api', env: 'staging', version: 'v1.5.0', strategy: { kind: 'rolling' }, dryRun: false };

describe('parseMessage: who a message is for', () => {
  it.each([
    ['/deploy api v1.5.0', channel],
    ['/deckhand deploy api v1.5.0', channel],
    ['/Deckhand deploy api v1.5.0', channel],
    ['@deckhand deploy api v1.5.0', channel],
    ['@Deckhand: deploy api v1.5.0', channel],
    ['@deckhand, deploy api v1.5.0', channel],
    ['@deckhand /deploy api v1.5.0', channel],
    ['<@U0DECK> deploy api v1.5.0', channel],
    ['<@U0DECK|deckhand> deploy api v1.5.0', channel],
    ['<@U0DECK>: deploy api v1.5.0', channel],
    ['deploy api v1.5.0', direct],
    ['  Deploy api v1.5.0  ', direct],
    ['/deploy api v1.5.0', direct],
    ['`/deploy api v1.5.0`', direct],
    ['```deploy api v1.5.0```', direct],
    ['/deploy api\u200b v1.5.0\ufeff', channel],
  ])('%s', (text, ctx) => {
    expect(parseMessage(text, ctx)).toEqual({ kind: 'command', command: deployApi });
  });

  it('knows Discord mentions of the bot', () => {
    const discord = { ...channel, botUserId: '112233445566' };
    expect(parseMessage('<@112233445566> status', discord)).toEqual({ kind: 'command', command: { verb: 'status' } });
    expect(parseMessage('<@!112233445566> status', discord)).toEqual({ kind: 'command', command: { verb: 'status' } });
  });

  it.each([
    ['deploy api v1.5.0'],
    ['hello team, deploying api soon'],
    ['<@U0OTHER> deploy api v1.5.0'],
    ['@someone deploy api v1.5.0'],
    ['@deckhandbot deploy api v1.5.0'],
    ['/shrug'],
    ['/usr/local/bin is on the PATH'],
    ['/ deploy api v1.5.0'],
    ['`/deploy api v1.5.0`'],
    [''],
    ['   '],
  ])('leaves ordinary conversation alone: %j', (text) => {
    expect(parseMessage(text, channel)).toEqual({ kind: 'not_for_us' });
  });

  it('answers a bare mention with help', () => {
    expect(parseMessage('@deckhand', channel)).toEqual({ kind: 'command', command: { verb: 'help' } });
    expect(parseMessage('<@U0DECK>', channel)).toEqual({ kind: 'command', command: { verb: 'help' } });
    expect(parseMessage('/deckhand', channel)).toEqual({ kind: 'command', command: { verb: 'help' } });
  });
});

describe('parseMessage: unknown commands', () => {
  it.each([
    ['/deplyo api v1.5.0', channel, 'Unknown command `/deplyo`. Did you mean `/deploy`?', '/deploy api v1.5.0'],
    ['/rollbak api', channel, 'Unknown command `/rollbak`. Did you mean `/rollback`?', '/rollback api'],
    ['/stauts', channel, 'Unknown command `/stauts`. Did you mean `/status`?', '/status'],
    ['@deckhand deplyo api v1.5.0', channel, 'Unknown command `deplyo`. Did you mean `deploy`?', '/deploy api v1.5.0'],
    ['dpeloy api "v1.5.0"', direct, 'Unknown command `dpeloy`. Did you mean `deploy`?', '/deploy api v1.5.0'],
  ])('%s', (text, ctx, message, suggestion) => {
    expect(parseMessage(text, ctx)).toMatchObject({ kind: 'problem', problem: { code: 'parse_unknown_command', message, suggestion } });
  });

  it('points to /help when nothing is close', () => {
    expect(parseMessage('@deckhand make me a sandwich', channel)).toMatchObject({
      kind: 'problem',
      problem: {
        code: 'parse_unknown_command',
        message: 'Unknown command `make`. Try `/help` to see what I can do.',
        hint: 'Commands: `/deploy`, `/rollback`, `/status`, `/history`, `/promote`, `/pause`, `/resume`, `/abort`, `/approve`, `/withdraw`, `/deny`, `/lock`, `/unlock`, `/freeze`, `/unfreeze` and `/help`.',
      },
    });
    expect(parseMessage('thanks!', direct)).toMatchObject({ kind: 'problem', problem: { code: 'parse_unknown_command', message: 'Unknown command `thanks!`. Try `/help` to see what I can do.' } });
  });

  it('refuses a command longer than the limit, kindly', () => {
    const outcome = parseMessage(`/lock api ${'x'.repeat(MAX_COMMAND_LENGTH)}`, channel);
    expect(outcome).toMatchObject({ kind: 'problem', problem: { code: 'parse_invalid_argument', message: `That message is too long for a command (over ${MAX_COMMAND_LENGTH} characters). Keep the reason shorter.` } });
  });
});
