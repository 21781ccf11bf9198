import type { APIEmbed } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { renderCardMessage, renderReleaseEmbed } from '../../../src/chat/discord/index.ts';
import type { Deploy } from '../../../src/deploy/index.ts';
import { renderCard } from '../../../src/notify/index.ts';

/** The longest of everything the parser and the platforms let in, with emoji where most cuts fall. */
const REASON = `${'@everyone <@100000000000000002> '.repeat(120)}${'😀'.repeat(400)}`.slice(0, 4000);
const NAME = `${'n'.repeat(28)}😀[x](https://evil.example)`;

function extreme(over: Partial<Deploy> = {}): Deploy {
  return {
    id: '12', service: 'api', env: 'production', channel: '900000000000000010', phase: 'awaiting_approval', step: 'approval',
    steering: {},
    state: { fromImage: `registry.local/acme/api:v${'1'.repeat(127)}`, toImage: `registry.local/acme/api:v${'9'.repeat(127)}` },
    action: { kind: 'deploy', version: `v${'9'.repeat(127)}`, strategy: { kind: 'rolling' } },
    requestedBy: { id: '1', name: NAME, platform: 'discord', groups: [] },
    approvals: Array.from({ length: 40 }, (_, i) => ({ actor: { id: `${i}`, name: `${NAME}${i}`, platform: 'discord' as const, groups: [] }, at: '', vote: 'approve' as const })),
    reason: REASON, summary: `${'*'.repeat(3000)}😀${'_'.repeat(2000)}`,
    createdAt: '2026-11-22T10:00:00.000Z', updatedAt: '2026-11-22T10:02:05.000Z', finishedAt: '2026-11-22T10:02:05.000Z', ...over,
  };
}

/** Discord counts these toward the 6,000 characters of a message's embeds. */
function total(e: APIEmbed): number {
  return (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0)
    + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
}

function expectWithinLimits(e: APIEmbed): void {
  expect(e.title!.length).toBeLessThanOrEqual(256);
  expect(e.description?.length ?? 0).toBeLessThanOrEqual(4096);
  expect(e.fields?.length ?? 0).toBeLessThanOrEqual(25);
  for (const f of e.fields ?? []) {
    expect(f.name.length).toBeLessThanOrEqual(256);
    expect(f.value.length).toBeLessThanOrEqual(1024);
    expect(f.value.length).toBeGreaterThan(0);
    expect(f.value.isWellFormed()).toBe(true);
  }
  expect(e.footer!.text.length).toBeLessThanOrEqual(2048);
  expect(total(e)).toBeLessThanOrEqual(6000);
  expect(JSON.stringify(e).isWellFormed()).toBe(true);
  // Nothing typed can mention anyone: every `<` of user text is escaped, `@everyone` is broken.
  expect(JSON.stringify(e)).not.toMatch(/(^|[^\\])<@/);
  expect(JSON.stringify(e)).not.toContain('@everyone');
}

describe('Discord embeds within every limit, for the longest inputs the parser accepts', () => {
  it.each([
    ['awaiting approval', extreme()],
    ['rolling out', extreme({ phase: 'rolling_out', step: 'rollout' })],
    ['succeeded', extreme({ phase: 'succeeded', step: 'done' })],
  ])('the card, %s', (_name, d) => {
    const card = renderCard(d, {
      note: `${'#'.repeat(3999)}😀`,
      releaseNotes: '- [x](https://evil.example) @here '.repeat(500),
      approvalsNeeded: { required: 3, have: 1, eligible: Array.from({ length: 50 }, (_, i) => `group-${i}-<@&${i}>`) },
      progress: { desired: 3, updated: 1, available: 1, ready: 1 },
    });
    const message = renderCardMessage(card);
    expect(message.embeds).toHaveLength(1);
    expectWithinLimits(message.embeds[0]!);
    // The status comes first and survives however long the rest is.
    expect(message.embeds[0]!.description!.startsWith('**')).toBe(true);
  });

  it.each([['success', 'succeeded'], ['failure', 'failed'], ['rollback', 'rolled_back']] as const)('the %s release notice', (outcome, phase) => {
    const embed = renderReleaseEmbed(extreme({ phase, step: 'done' }), outcome, {
      releaseNotes: '### <@1> [x](https://evil.example)\n'.repeat(400),
      links: [{ label: 'Build [](x)', url: 'https://github.example/acme/api/actions/runs/7?q=(a)*b' }, { label: 'Compare', url: 'javascript:alert(1)' }],
    });
    expectWithinLimits(embed);
    // A link keeps its target whole and cannot be closed early by the address; a non-web address is no link.
    expect(embed.url).toBe('https://github.example/acme/api/actions/runs/7?q=(a)*b');
    expect(embed.fields!.find((f) => f.name === 'Links')!.value).toBe('[Build \\[\\](x)](https://github.example/acme/api/actions/runs/7?q=%28a%29%2Ab) · Compare');
    expect(JSON.stringify(embed)).not.toContain('javascript:');
  });

  it('keeps the reason\'s start, escaped, and ends a cut with …', () => {
    const embed = renderReleaseEmbed(extreme({ phase: 'succeeded', step: 'done' }), 'success');
    const reason = embed.fields!.find((f) => f.name === 'Reason')!.value;
    expect(reason.startsWith('@\u200Beveryone \\<@100000000000000002>')).toBe(true);
    expect(reason.endsWith('…')).toBe(true);
  });
});
