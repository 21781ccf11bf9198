import { describe, expect, it } from 'vitest';
import { renderCardText } from '../../src/chat/console/index.ts';
import { renderCardMessage } from '../../src/chat/discord/render-card-message.ts';
import { renderCardBlocks } from '../../src/chat/slack/index.ts';
import type { Card } from '../../src/chat/types.ts';
import { chat, type Deploy } from '../../src/deploy/index.ts';
import { deployLinks } from '../../src/markers/index.ts';
import { renderCard } from '../../src/notify/render-card.ts';

const CREATED = Date.parse('2026-12-01T10:00:00.000Z');
const deploy = (over: Partial<Deploy> = {}): Deploy => ({
  id: '12', service: 'api', env: 'production', action: { kind: 'deploy', version: 'v1.5.0', strategy: { kind: 'canary', percent: 5 } },
  requestedBy: { id: 'U1', name: 'alice', platform: 'slack', groups: [] }, channel: 'C1', phase: 'rolling_out', step: 'hold',
  state: {}, steering: {}, approvals: [], createdAt: new Date(CREATED).toISOString(), updatedAt: new Date(CREATED).toISOString(), ...over,
});

const TEMPLATES = {
  grafana: 'https://grafana.example/d/abc?var-service={service}&var-env={env}&from={from}&to={to}',
  traces: 'https://jaeger.example/search?service={service}&tags=%7B%22deploy%22%3A%22{deployId}%22%7D',
  sentry: 'https://sentry.example/releases/{version}/',
};

describe('deployLinks: a service\'s link templates filled for one deploy', () => {
  it('fills the time range from the request to now while the deploy runs, and to its end once it has ended', () => {
    const running = deployLinks(TEMPLATES, deploy(), CREATED + 90_000);
    expect(running[0]).toEqual({ label: 'grafana', url: `https://grafana.example/d/abc?var-service=api&var-env=production&from=${CREATED}&to=${CREATED + 90_000}` });
    expect(running[1]!.url).toBe('https://jaeger.example/search?service=api&tags=%7B%22deploy%22%3A%2212%22%7D');

    const ended = deployLinks(TEMPLATES, deploy({ phase: 'succeeded', finishedAt: new Date(CREATED + 60_000).toISOString() }), CREATED + 999_999);
    expect(ended[0]!.url).toContain(`&to=${CREATED + 60_000}`);
  });

  it('percent-encodes every value, so a version cannot add a parameter, a path or a fragment', () => {
    const [, , sentry] = deployLinks(TEMPLATES, deploy({ action: { kind: 'deploy', version: 'v1.5.0+b/7&x=1#<script>', strategy: { kind: 'rolling' } } }), CREATED);
    expect(sentry!.url).toBe('https://sentry.example/releases/v1.5.0%2Bb%2F7%26x%3D1%23%3Cscript%3E/');
  });

  it('uses the version a rollback restores, once its first step knows it', () => {
    const rollback = deploy({ action: { kind: 'rollback' }, state: { toImage: 'registry.local/acme/api:v1.4.0' } });
    expect(deployLinks(TEMPLATES, rollback, CREATED)[2]!.url).toBe('https://sentry.example/releases/v1.4.0/');
  });

  it('has nothing for a service without templates, and leaves out one that does not fill to an http(s) URL', () => {
    expect(deployLinks(undefined, deploy(), CREATED)).toEqual([]);
    expect(deployLinks({ bad: 'javascript:alert({service})', ok: 'https://x.example/{service}' }, deploy(), CREATED)).toEqual([{ label: 'ok', url: 'https://x.example/api' }]);
  });
});

describe('links on the card, escaped by each renderer', () => {
  // What a link could hold that each platform's markup would read: Slack's `|` and `>`, Discord's `)`, an `&`.
  const hostile: Card = {
    ...renderCard(deploy(), {}),
    links: [
      { label: 'grafana', url: 'https://grafana.example/d/abc?var-service=api&to=1|<!channel>' },
      { label: '<!here> [x](https://evil.example)', url: 'https://logs.example/q=(a)*b*_c_~d~`e`' },
    ],
  };

  it('puts the links on the card that renderCard builds', () => {
    const card = renderCard(deploy(), { links: [{ label: 'grafana', url: 'https://grafana.example/' }] });
    expect(card.links).toEqual([{ label: 'grafana', url: 'https://grafana.example/' }]);
    expect(renderCard(deploy(), {}).links).toBeUndefined();
  });

  it('Slack: a links context block of <url|label>, with the URL percent-encoded where mrkdwn would read it and the label escaped', () => {
    const block = renderCardBlocks(hostile).blocks.find((b) => b.block_id === 'links') as { elements: { text: string }[] } | undefined;
    const text = block!.elements[0]!.text;
    expect(text).toContain('<https://grafana.example/d/abc?var-service=api&amp;to=1%7C%3C!channel%3E|grafana>');
    expect(text).toContain('<https://logs.example/q=(a)*b*_c_~d~%60e%60|&lt;!here&gt; [x](https://evil.example)>');
    // Exactly two links: nothing in a URL or label opened a third, or closed one early.
    expect(text.match(/<https:/g)).toHaveLength(2);
    expect(text.match(/<!/g)).toBeNull();
  });

  it('Discord: link buttons (style 5) carrying the URL as given, the label as plain text', () => {
    const { components } = renderCardMessage(hostile);
    const links = components.flatMap((row) => row.components).filter((c) => c.style === 5);
    expect(links.map((c) => ('url' in c ? c.url : undefined))).toEqual(hostile.links!.map((l) => l.url));
    expect(links.map((c) => ('label' in c ? c.label : undefined))).toEqual(['grafana', '<!here> [x](https://evil.example)']);
    // The embed's markdown holds none of it: a link cannot be forged there.
    expect(JSON.stringify(renderCardMessage(hostile).embeds)).not.toContain('evil.example');
  });

  it('Discord: at most two rows of five link buttons, beside the row of actions', () => {
    const many: Card = { ...hostile, links: Array.from({ length: 12 }, (_, i) => ({ label: `l${i}`, url: `https://x.example/${i}` })) };
    const rows = renderCardMessage(many).components;
    expect(rows.map((r) => r.components.length)).toEqual([many.actions.length, 5, 5]);
  });

  it('console: one line of label and URL', () => {
    const card: Card = { ...renderCard(deploy(), {}), title: chat`#12`, links: [{ label: 'grafana', url: 'https://grafana.example/d/abc?x=1' }] };
    expect(renderCardText(card)).toContain('    links: grafana https://grafana.example/d/abc?x=1');
  });
});
