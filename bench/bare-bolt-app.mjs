/**
 * The yardstick for Deckhand's idle memory: a bare Bolt app on its HTTP receiver, one slash command listener, and
 * nothing else — what any Slack bot costs at rest. Run by bench/memory-bench.ts with the same V8 flags as bin/.
 * Plain JavaScript: Deckhand runs cached stripped sources, so neither process carries Node's type stripper.
 */
import process from 'node:process';
import { App, HTTPReceiver } from '@slack/bolt';

const receiver = new HTTPReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET ?? 'bench-secret' });
const app = new App({ token: process.env.SLACK_BOT_TOKEN ?? 'xoxb-bench', receiver, deferInitialization: true, clientOptions: { slackApiUrl: process.env.SLACK_API_URL } });
app.command(/^\/.+/, async ({ ack }) => { await ack(); });
await app.init();
await receiver.start(Number(process.env.PORT ?? 0));
process.stdin.resume();
process.stdin.on('end', () => { void receiver.stop().then(() => process.exit(0)); });
