import { afterEach, describe, expect, it } from 'vitest';
import { createSlackAdapter } from '../../../src/chat/slack/index.ts';
import type { CardRefs } from '../../../src/chat/types.ts';
import { isDeckhandError } from '../../../src/errors.ts';
import { startSlackApiServer, type SlackApiServer } from '../../helpers/slack-api-server.ts';

const NO_REFS: CardRefs = { claim: async () => true, set: async () => {}, get: async () => undefined, deployOf: async () => undefined, setLink: async () => {}, link: async () => undefined };
const ctx = { cardRefs: NO_REFS, onEvent: async () => {} };

describe('starting the Slack adapter', () => {
  let slack: SlackApiServer | undefined;
  afterEach(async () => { await slack?.close(); });

  it('needs a signing secret for HTTP mode, as a coded config error', () => {
    let thrown: unknown;
    try {
      createSlackAdapter({ botToken: 'xoxb-x' });
    } catch (err) {
      thrown = err;
    }
    expect(isDeckhandError(thrown, 'config_invalid')).toBe(true);
  });

  it('says which token Slack refused, without repeating it', async () => {
    slack = await startSlackApiServer();
    // Without a socket URL the stand-in answers apps.connections.open with invalid_auth, like Slack for a bad token.
    const adapter = createSlackAdapter({ botToken: 'xoxb-good', appToken: 'xapp-bad-token', apiUrl: slack.apiUrl });
    const err = await adapter.start(ctx).then(() => undefined, (e: unknown) => e);
    expect(isDeckhandError(err, 'config_invalid')).toBe(true);
    expect(String((err as Error).message)).toContain('SLACK_APP_TOKEN');
    expect(String((err as Error).message)).not.toContain('xapp-bad-token');
    await adapter.stop();
  });

  it('reports an unreachable Slack API as a config problem naming the URL', async () => {
    const adapter = createSlackAdapter({ botToken: 'xoxb-x', signingSecret: 's', apiUrl: 'http://127.0.0.1:9/api/' });
    const err = await adapter.start(ctx).then(() => undefined, (e: unknown) => e);
    expect(isDeckhandError(err, 'config_invalid')).toBe(true);
    expect(String((err as Error).message)).toContain('http://127.0.0.1:9/api/');
  }, 30_000);
});
