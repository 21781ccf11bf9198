import { afterEach, describe, expect, it } from 'vitest';
import type { Card } from '../../src/chat/types.ts';
import { renderCardBlocks } from '../../src/chat/slack/render-card-blocks.ts';
import { renderCardMessage } from '../../src/chat/discord/render-card-message.ts';
import { CardPublisher } from '../../src/notify/index.ts';
import { at, RO, startArgoWorld, startFixedPrometheus, type ArgoWorld } from './argo-rollouts-world.ts';

/** What a team (or anyone who can edit an AnalysisTemplate) could put where Argo echoes it back. */
const PING = '<!channel> <@U123> <https://evil.example|click>';

let world: ArgoWorld;
afterEach(async () => { await world.stop(); });

describe('text from Argo Rollouts on the card', () => {
  it('an AnalysisRun whose metric name carries mentions and a link is shown escaped on Slack and Discord', async () => {
    const prometheus = await startFixedPrometheus('0.2');
    try {
      world = await startArgoWorld([{ setWeight: 20 }, { analysis: { templates: [{ templateName: 'error-rate' }] } }, { setWeight: 60 }]);
      // The cards the real publisher builds from the deploy's events, as the adapters would receive them.
      const cards: Card[] = [];
      const publisher = new CardPublisher(async (_platform, card) => { cards.push(card); });
      world.app.onDeployEvent((e) => publisher.publish(e));
      await world.send('POST', `${RO}/analysistemplates`, {
        apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata: { name: 'error-rate' },
        spec: { metrics: [{ name: PING, interval: '200ms', count: 3, failureLimit: 1, successCondition: 'result[0] < 0.05', provider: { prometheus: { address: prometheus.url, query: 'sum(rate(http_requests_total{code=~"5.."}[1m]))' } } }] },
      });
      await world.say('/deploy search v1.1.0 to staging');
      const d = await world.waitForPhase('1', ['succeeded', 'failed', 'rolled_back', 'aborted'], 20_000);
      await publisher.flush();

      // The payload did reach Deckhand through Argo (the Rollout's message and the AnalysisRun's metric)...
      expect(d.phase).toBe('failed');
      expect(d.summary).toContain(PING);
      expect(String(at(await world.rollout(), 'status', 'message'))).toContain(PING);
      const slack = cards.map((c) => JSON.stringify(renderCardBlocks(c))).join('\n');
      const discord = cards.map((c) => JSON.stringify(renderCardMessage(c))).join('\n');
      expect(slack).toContain('&lt;!channel&gt; &lt;@U123&gt; &lt;https://evil.example|click&gt;');
      // ...and nowhere became a mention or a link.
      for (const raw of ['<!channel>', '<@U123>', '<https://evil.example']) {
        expect(slack).not.toContain(raw);
        // Discord: every `<` of somebody else's text is backslash-escaped, so none opens a mention or a link.
        expect(discord.replaceAll('\\\\<', '')).not.toContain(raw);
      }
      expect(discord).toContain('\\\\<!channel> \\\\<@U123> \\\\<https://evil.example\\\\|click>');
    } finally {
      await prometheus.close();
    }
  });
});
