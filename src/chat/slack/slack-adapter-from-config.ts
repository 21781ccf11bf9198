import type { Config } from '../../config/index.ts';
import type { AdapterLog } from './bolt-logger.ts';
import { createSlackAdapter, type SlackAdapter } from './slack-adapter.ts';

/**
 * The Slack adapter as configured: tokens and endpoints from SLACK_* (config.runtime.slack), behaviour from
 * `chat.slack` in deckhand.yaml. Undefined when Slack is not configured. HTTP mode listens on PORT unless told
 * `listen: false` (to be mounted on a server of one's own through `requestListener`).
 */
export function slackAdapterFromConfig(config: Pick<Config, 'runtime' | 'chat'>, o: { log?: AdapterLog; listen?: false } = {}): SlackAdapter | undefined {
  const slack = config.runtime.slack;
  if (!slack) return undefined;
  return createSlackAdapter({
    botToken: slack.botToken,
    ...(slack.signingSecret !== undefined && { signingSecret: slack.signingSecret }),
    ...(slack.appToken !== undefined && { appToken: slack.appToken }),
    ...(slack.apiUrl !== undefined && { apiUrl: slack.apiUrl }),
    listen: o.listen ?? config.runtime.port,
    approvalEmoji: config.chat.slack?.approvalEmoji ?? 'white_check_mark',
    userGroups: config.chat.slack?.userGroups ?? true,
    ...(o.log && { log: o.log }),
  });
}
