import type { ConfigFile } from './schema.ts';

/** Something valid but likely wrong: reported by check-config (and logged at start), never refused. */
export interface ConfigWarning {
  path: (string | number)[];
  message: string;
}

/**
 * Entries that look like names where ids are needed, and teams nobody is in. A bare word in a group that is not in
 * `people` matches only the console user of that name, so on Slack or Discord it grants nothing — which is safe, but
 * almost never what was meant.
 */
export function configWarnings(file: ConfigFile): ConfigWarning[] {
  const out: ConfigWarning[] = [];
  for (const [group, members] of Object.entries(file.groups)) {
    members.forEach((m, i) => {
      if (m.includes(':') || Object.hasOwn(file.people, m)) return;
      out.push({
        path: ['groups', group, i],
        message: `\`${m}\` looks like a name: it is not a person in \`people\` nor a platform id, so it matches only the console user ${m}. Link the person under people (people: { ${m}: { slack: U…, discord: "…" } }) or list the account (slack:U…, discord:…)`,
      });
    });
  }
  for (const [name, service] of Object.entries(file.services)) {
    if (!Object.hasOwn(file.groups, service.team)) {
      out.push({ path: ['services', name, 'team'], message: `\`${service.team}\` is not a group in \`groups\`, so nobody is on the team that owns ${name} (only on-call may deploy it)` });
    }
  }
  return out;
}
