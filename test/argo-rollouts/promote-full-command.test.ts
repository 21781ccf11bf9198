import { describe, expect, it } from 'vitest';
import { commandOf, problemOf } from '../commands/outcome.ts';

describe('/promote --full', () => {
  it.each([
    ['/promote --full', { verb: 'promote', full: true }],
    ['/promote api production --full', { verb: 'promote', service: 'api', env: 'production', full: true }],
    ['/promote --full api', { verb: 'promote', service: 'api', full: true }],
    ['/promote api', { verb: 'promote', service: 'api' }],
  ])('%s', (text, expected) => {
    expect(commandOf(text)).toEqual(expected);
  });

  it.each([
    ['/pause api --full', '`/pause` has no option `--full`.'],
    ['/promote api --full=yes', '`--full` takes no value.'],
    ['/promote api --fulll', '`/promote` has no option `--fulll`. Did you mean `--full`?'],
  ])('problem: %s', (text, message) => {
    expect(problemOf(text)).toMatchObject({ code: 'parse_invalid_argument', message });
  });
});
