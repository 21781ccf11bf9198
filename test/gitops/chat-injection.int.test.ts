import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Card } from '../../src/chat/types.ts';
import { renderCardBlocks } from '../../src/chat/slack/render-card-blocks.ts';
import { renderCardMessage } from '../../src/chat/discord/render-card-message.ts';
import { CardPublisher } from '../../src/notify/index.ts';
import { startGitOpsWorld, type GitOpsWorld } from './gitops-world.ts';

/** What anyone who can push to the config repository could make Argo CD quote back. */
const PING = '<!channel> <@U123> <https://evil.example|click>';
const MANIFEST = 'apps/catalog/production/deployment.yaml';

describe('text from Argo CD on the card', () => {
  let w: GitOpsWorld;
  beforeEach(async () => { w = await startGitOpsWorld(); });
  afterEach(async () => { await w.stop(); });

  it('a sync message that quotes mentions and a link from the repository is shown escaped on Slack and Discord', async () => {
    const cards: Card[] = [];
    const publisher = new CardPublisher(async (_platform, card) => { cards.push(card); });
    w.app.onDeployEvent((e) => publisher.publish(e));
    // An object whose name the API server refuses: Argo CD's sync operation fails quoting it, as the real one does.
    const manifest = await w.file(MANIFEST);
    w.github.commit('acme/deploy-config', { files: { [MANIFEST]: `${manifest}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: '${PING}'\ndata: {}\n` }, message: 'add a config map', author: 'mallory' });
    const asked = await w.say('/deploy catalog v1.1.0 to production');
    const id = /#(\d+)/.exec(asked)?.[1] ?? '';
    await w.say(`@bob /approve ${id}`);
    const d = await w.waitForPhase(id, ['succeeded', 'failed', 'rolled_back', 'aborted']);
    await publisher.flush();

    // The payload reached Deckhand through Argo CD's operationState...
    const text = cards.flatMap((c) => c.lines.map(String)).join('\n');
    expect(text, d.summary).toContain(`sync Failed`);
    expect(text).toContain(PING);
    const slack = cards.map((c) => JSON.stringify(renderCardBlocks(c))).join('\n');
    const discord = cards.map((c) => JSON.stringify(renderCardMessage(c))).join('\n');
    expect(slack).toContain('&lt;!channel&gt; &lt;@U123&gt; &lt;https://evil.example|click&gt;');
    // ...and nowhere became a mention or a link (Discord escapes every `<` of somebody else's text with a backslash).
    for (const raw of ['<!channel>', '<@U123>', '<https://evil.example']) {
      expect(slack).not.toContain(raw);
      expect(discord.replaceAll('\\\\<', '')).not.toContain(raw);
    }
  });
});
