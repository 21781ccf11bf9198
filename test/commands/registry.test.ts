import { describe, expect, it } from 'vitest';
import { COMMANDS, Command, Verb, commandWords, findCommand } from '../../commands/index.ts';
import { commandOf } from './outcome.ts';

describe('the command registry', () => {
  it('has exactly one spec per verb, keyed by its name', () => {
    expect([...COMMANDS.keys()].sort()).toEqual([...Verb.options].sort());
    for (const [name, spec] of COMMANDS) expect(spec.name).toBe(name);
  });

  it('has no word (name or alias) that names two commands', () => {
    const words = commandWords(COMMANDS);
    expect(new Set(words).size).toBe(words.length);
  });

  it.each([...COMMANDS.values()].map((spec) => [spec.name, spec] as const))('%s: usage, examples and schema agree', (name, spec) => {
    expect(spec.usage.startsWith(`/${name}`)).toBe(true);
    expect(spec.summary.endsWith('.')).toBe(true);
    expect(spec.examples.length).toBeGreaterThan(0);
    for (const example of spec.examples) {
      const command = commandOf(example);
      expect(command.verb).toBe(name);
      expect(spec.schema.safeParse(command).success).toBe(true);
      expect(Command.safeParse(command).success).toBe(true);
    }
  });

  it('finds commands by name or alias, in any case, with or without a slash', () => {
    expect(findCommand(COMMANDS, 'DEPLOY')?.name).toBe('deploy');
    expect(findCommand(COMMANDS, '/undo')?.name).toBe('rollback');
    expect(findCommand(COMMANDS, 'deplyo')).toBeUndefined();
  });
});
