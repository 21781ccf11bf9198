import type { Groups, People } from '../config/index.ts';
import type { Actor } from '../deploy/index.ts';

/** A person as policy sees them: a stable key (never a display name), a name to show, their groups. */
export interface Person {
  /** The key in `people`, or a platform id (`slack:U…`, `slack:T…/U…`, `discord:…`) for someone not listed there. */
  key: string;
  name: string;
  groups: string[];
}

export interface PeopleDirectory {
  personOf(actor: Actor): Person;
}

/** The ids a chat account answers to in `people` and `groups` entries. */
function idsOf(actor: Actor): string[] {
  switch (actor.platform) {
    case 'slack': return actor.team ? [`slack:${actor.id}`, `slack:${actor.team}/${actor.id}`] : [`slack:${actor.id}`];
    case 'discord': return [`discord:${actor.id}`];
    case 'console': return [`console:${actor.id}`];
    case 'api': return [`api:${actor.id}`];
  }
}

/**
 * Who a chat account belongs to, from `people` and `groups` in deckhand.yaml. Accounts are matched by platform id
 * only; a person linked on Slack and Discord is one person, so four-eyes and approval counts compare people, not
 * accounts. Platform groups the adapter saw (Slack user groups, Discord roles: `slack-usergroup:S…`,
 * `discord-role:…`) count only where a group lists them.
 */
export function createPeopleDirectory(people: People, groups: Groups): PeopleDirectory {
  const personByAccount = new Map<string, string>();
  for (const [key, p] of Object.entries(people)) {
    for (const id of p.slack ?? []) personByAccount.set(`slack:${id}`, key);
    for (const id of p.discord ?? []) personByAccount.set(`discord:${id}`, key);
    personByAccount.set(`console:${p.console ?? key}`, key);
  }
  const groupsByMember = new Map<string, string[]>();
  for (const [group, members] of Object.entries(groups)) {
    for (const m of members) groupsByMember.set(m, [...(groupsByMember.get(m) ?? []), group]);
  }
  return {
    personOf(actor) {
      const ids = idsOf(actor);
      // The most specific id wins: a workspace-pinned Slack id before the bare one.
      const linked = [...ids].reverse().map((id) => personByAccount.get(id)).find((k) => k !== undefined);
      // The console is the local sandbox: its speakers are named by the key they type, unless that key is a person
      // whose console name is another one.
      const consoleKey = actor.platform === 'console' && !Object.hasOwn(people, actor.id) ? actor.id : undefined;
      const key = linked ?? consoleKey ?? ids[ids.length - 1] ?? `${actor.platform}:${actor.id}`;
      const answersTo = [key, ...ids, ...actor.groups.filter((g) => g.includes(':'))];
      const found = new Set<string>();
      for (const id of answersTo) for (const g of groupsByMember.get(id) ?? []) found.add(g);
      return { key, name: actor.name, groups: [...found].sort() };
    },
  };
}
