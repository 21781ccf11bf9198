import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeSlackText } from '../../../src/chat/slack/index.ts';
import { AppMentionEvent, BlockAction, BlockActionsBody, EventEnvelope, ReactionEvent, SlashCommand } from '../../../src/chat/slack/schema.ts';

/** Trimmed real payloads, in the shapes Slack's documentation shows them. */
const fixture = (name: string): string => readFileSync(join(import.meta.dirname, '../../fixtures/slack', name), 'utf8');

describe('Slack payload schemas read real payloads', () => {
  it('a slash command form body, with the text Slack escaped decoded back', () => {
    const form = Object.fromEntries(new URLSearchParams(fixture('slash-command.form.txt').trim()));
    const c = SlashCommand.parse(form);
    expect(c).toMatchObject({ command: '/deploy', user_id: 'U2147483697', channel_id: 'C2147483705', trigger_id: '13345224609.738474920.8088930838d88f008e0' });
    expect(decodeSlackText(`${c.command} ${c.text}`)).toBe('/deploy api v1.5.0 to production --reason "fix <login> & co"');
  });

  it('a block_actions click: who, where, which button, which deploy', () => {
    const body = JSON.parse(fixture('block-actions.json')) as { actions: unknown[] };
    const b = BlockActionsBody.parse(body);
    const a = BlockAction.parse(body.actions[0]);
    expect(b.user.id).toBe('UA8RXUSPL');
    expect(b.channel?.id).toBe('CBR2V3XEX');
    expect([a.action_id, a.value]).toEqual(['deckhand_approve', '12']);
  });

  it('a reaction_added event_callback: the emoji and the message it is on', () => {
    const body = JSON.parse(fixture('reaction-added.json')) as { event: unknown };
    expect(EventEnvelope.parse(body).event_id).toBe('Ev123ABC456');
    expect(ReactionEvent.parse(body.event)).toMatchObject({ type: 'reaction_added', reaction: 'white_check_mark', item: { channel: 'C123ABC456', ts: '1360782400.498405' } });
  });

  it('an app_mention event_callback', () => {
    const body = JSON.parse(fixture('app-mention.json')) as { event: unknown };
    expect(AppMentionEvent.parse(body.event)).toMatchObject({ text: '<@U0LAN0Z89> deploy api v1.5.0 to staging', channel: 'C123ABC456' });
  });

  it('keeps fields Slack adds later (lenient), and refuses a payload missing what routing needs', () => {
    expect(SlashCommand.parse({ command: '/status', user_id: 'U1', channel_id: 'C1', trigger_id: 't', is_enterprise_install: 'false' })).toMatchObject({ text: '', is_enterprise_install: 'false' });
    expect(SlashCommand.safeParse({ command: '/status', channel_id: 'C1', trigger_id: 't' }).success).toBe(false);
  });
});
