import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../src/parse/index.ts';
import { channel } from './context.ts';

describe('parseMessage', () => {
  it('parses a deploy with defaults', () => {
    expect(parseMessage('/deploy api v1.5.0', channel)).toEqual({
      kind: 'command',
      command: { verb: 'deploy', service: 'api', env: 'staging', version: 'v1.5.0', strategy: { kind: 'rolling' }, dryRun: false },
    });
  });

  it('suggests the nearest verb for a typo', () => {
    const outcome = parseMessage('/deplyo api v1.5.0', channel);
    expect(outcome).toMatchObject({ kind: 'problem', problem: { code: 'parse_unknown_command', message: 'Unknown command `/deplyo`. Did you mean `/deploy`?', suggestion: '/deploy api v1.5.0' } });
  });
});
