import { COMMANDS } from './registry.ts';
import type { Verb } from './schema.ts';
import type { CommandRegistry } from './spec.ts';

/**
 * The text of `/help` (every command, one line each) or `/help <topic>` (usage, aliases, examples), in the
 * Markdown subset Slack, Discord and the console all show readably.
 */
export function formatHelp(topic?: Verb, registry: CommandRegistry = COMMANDS): string {
  const spec = topic === undefined ? undefined : registry.get(topic);
  if (spec === undefined) {
    const lines = [...registry.values()].map((s) => `\`/${s.name}\` — ${s.summary}`);
    return ['*Deckhand commands*', ...lines, '', 'Type `/help <command>` for how to use one, like `/help deploy`.'].join('\n');
  }
  const lines = [`\`${spec.usage}\``, spec.summary];
  if (spec.aliases.length > 0) lines.push(`Also: ${spec.aliases.map((a) => `\`/${a}\``).join(', ')}`);
  if (spec.examples.length > 0) lines.push('Examples:', ...spec.examples.map((e) => `• \`${e}\``));
  return lines.join('\n');
}
