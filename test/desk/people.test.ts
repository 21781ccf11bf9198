import { describe, expect, it } from 'vitest';
import { createPeopleDirectory } from '../../src/desk/index.ts';
import type { Actor } from '../../src/deploy/index.ts';

const directory = createPeopleDirectory(
  {
    alice: { slack: ['U0ALICE'], discord: ['100000000000000001'] },
    bob: { slack: ['T0ACME/U0BOB'] },
    carol: { console: 'caz' },
  },
  {
    payments: ['alice'],
    approvers: ['bob', 'slack-usergroup:S0APPROVE', 'discord-role:200000000000000001', 'discord:100000000000000777'],
    oncall: ['carol', 'slack:U0DAVE'],
  },
);

const slack = (id: string, name: string, more: Partial<Actor> = {}): Actor => ({ id, name, platform: 'slack', groups: [], ...more });
const discord = (id: string, name: string, roles: string[] = []): Actor => ({ id, name, platform: 'discord', groups: roles.map((r) => `discord-role:${r}`) });

describe('who a chat account is', () => {
  it('links one person across platforms by id', () => {
    expect(directory.personOf(slack('U0ALICE', 'alice')).key).toBe('alice');
    expect(directory.personOf(discord('100000000000000001', 'Alice A.')).key).toBe('alice');
    expect(directory.personOf(discord('100000000000000001', 'x')).groups).toEqual(['payments']);
  });

  it('never matches by name: a Discord account called alice is somebody else with no groups', () => {
    const p = directory.personOf(discord('100000000000000009', 'alice'));
    expect(p).toEqual({ key: 'discord:100000000000000009', name: 'alice', groups: [] });
  });

  it('a workspace-pinned Slack id matches only in that workspace', () => {
    expect(directory.personOf(slack('U0BOB', 'bob', { team: 'T0ACME' }))).toMatchObject({ key: 'bob', groups: ['approvers'] });
    expect(directory.personOf(slack('U0BOB', 'bob', { team: 'T0EVIL' }))).toMatchObject({ key: 'slack:T0EVIL/U0BOB', groups: [] });
  });

  it('platform groups count only where a group lists them by id', () => {
    expect(directory.personOf(slack('U0FRANK', 'frank', { groups: ['slack-usergroup:S0APPROVE'] })).groups).toEqual(['approvers']);
    expect(directory.personOf(slack('U0FRANK', 'frank', { groups: ['slack-usergroup:S0OTHER', 'approvers'] })).groups).toEqual([]);
    expect(directory.personOf(discord('100000000000000555', 'erin', ['200000000000000001'])).groups).toEqual(['approvers']);
    expect(directory.personOf(discord('100000000000000777', 'x')).groups).toEqual(['approvers']);
    expect(directory.personOf(slack('U0DAVE', 'dave')).groups).toEqual(['oncall']);
  });

  it('console speakers are named by the key they type, unless that person has another console name', () => {
    expect(directory.personOf({ id: 'caz', name: 'caz', platform: 'console', groups: [] })).toMatchObject({ key: 'carol', groups: ['oncall'] });
    expect(directory.personOf({ id: 'carol', name: 'carol', platform: 'console', groups: [] })).toMatchObject({ key: 'console:carol', groups: [] });
    expect(directory.personOf({ id: 'mallory', name: 'mallory', platform: 'console', groups: [] })).toMatchObject({ key: 'mallory', groups: [] });
  });
});
