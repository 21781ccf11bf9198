import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { SlackAdapter, SlackAdapterOptions } from '../../src/chat/slack/index.ts';
import type { CardActionId } from '../../src/chat/types.ts';
import type { Config } from '../../src/config/index.ts';
import type { Deploy, Phase } from '../../src/deploy/index.ts';
import { startDeckhand, type Deckhand, type DeckhandOptions } from '../../src/main.ts';
import { createEmbeddedBackend, readPolicyDir } from '../../src/policy/index.ts';
import { seedFromConfig } from '../../src/sandbox/index.ts';
import { startSimCluster, type SimCluster } from '@deckhand/sim/kube';
import { startSlackApiServer, type SlackApiServer, type SlackCall } from './slack-api-server.ts';
import { blockActionsBody, eventCallbackBody, sendToSlackApp, slashCommandBody, type SendOptions } from './slack-request.ts';
import { worldConfig } from './world.ts';

export const SIGNING_SECRET = 'test-signing-secret-8f2c1e';
export const CHANNEL = 'C0DEPLOY';

/** Slack people of the test workspace; names match the `groups:` of WORLD_CONFIG. frank is an approver only through a Slack user group. */
export const PEOPLE: Record<string, string> = { alice: 'U0ALICE', bob: 'U0BOB', carol: 'U0CAROL', dave: 'U0DAVE', erin: 'U0ERIN', frank: 'U0FRANK' };

export interface Sent { status: number; ms: number; text: string }

export interface SlackWorld {
  app: Deckhand;
  adapter: SlackAdapter;
  slack: SlackApiServer;
  sim: SimCluster;
  prefix: string;
  /** `command('alice', '/deploy api v1.5.0 to production')`: a signed slash command; resolves with the ack. */
  command(who: string, line: string, o?: { triggerId?: string; send?: SendOptions }): Promise<Sent & { triggerId: string; reply(): Promise<SlackCall> }>;
  /** Clicks a card button as `who`; resolves with the ephemeral answer posted to the response_url. */
  click(who: string, action: CardActionId, deployId: string): Promise<SlackCall>;
  /** Adds (or removes) a reaction on the deploy's card as `who`. */
  react(who: string, deployId: string, o?: { added?: boolean; emoji?: string }): Promise<Sent>;
  /** The chat.postMessage that created the deploy's card. */
  cardPost(deployId: string): Promise<SlackCall>;
  /** Every chat.update of the deploy's card, in order. */
  cardUpdates(deployId: string): SlackCall[];
  waitForPhase(id: string, phases: Phase[] | Phase, timeoutMs?: number): Promise<Deploy>;
  /** Starts a second Deckhand process with its own Slack adapter on the same Redis, cluster and Slack. */
  addProcess(): Promise<{ app: Deckhand; adapter: SlackAdapter }>;
  stop(): Promise<void>;
}

function deployIdOfCard(c: SlackCall): string | undefined {
  const text = typeof c.args.text === 'string' ? c.args.text : '';
  return /^#(\d+) /.exec(text)?.[1];
}

export interface SlackWorldOptions {
  config?: Config;
  adapter?: Partial<SlackAdapterOptions>;
  deckhand?: Partial<DeckhandOptions>;
  /** Edits the shipped policies' data.json (e.g. more approvals for production). */
  policyData?: (data: Record<string, unknown>) => Record<string, unknown>;
}

export async function startSlackWorld(o: SlackWorldOptions = {}): Promise<SlackWorld> {
  const given = o.config ?? worldConfig();
  const prefix = `t${randomBytes(4).toString('hex')}`;
  const { seed, faulty } = seedFromConfig(given);
  const sim = await startSimCluster({ seed, readyDelayMs: given.sandbox?.readyDelayMs, isFaultyImage: (image) => faulty.has(image.replace(/@.*$/, '')) });
  const slack = await startSlackApiServer({
    users: Object.entries(PEOPLE).map(([name, id]) => ({ id, name, displayName: name[0]?.toUpperCase() + name.slice(1) })),
    userGroups: [{ id: 'S0APPROVE', handle: 'approvers', users: [PEOPLE.frank ?? ''] }],
  });
  let policy: DeckhandOptions['policy'];
  if (o.policyData) {
    const bundle = await readPolicyDir('policies');
    bundle.data = o.policyData(structuredClone(bundle.data) as Record<string, unknown>);
    policy = createEmbeddedBackend(bundle);
  }
  // Slack as SLACK_* would configure it, against this test's Slack Web API (SLACK_API_URL).
  const slackEnv = { botToken: 'xoxb-test-token', signingSecret: SIGNING_SECRET, ...given.runtime.slack, apiUrl: slack.apiUrl };
  const config: Config = { ...given, runtime: { ...given.runtime, slack: slackEnv } };
  // The app as production builds it (main.ts); its Slack adapter listens on a port of its own here, one per process.
  const base = (): DeckhandOptions => ({
    config, redisUrl: inject('redisUrl'), kube: { kubeconfigYaml: sim.kubeconfig() }, policy, prefix,
    chat: { slack: { listen: { port: 0, host: '127.0.0.1' }, ...o.adapter } },
    worker: { concurrency: 4, lockDurationMs: 2000 }, deadlineGraceMs: 2000, ...o.deckhand,
  });
  const slackOf = (p: Deckhand): SlackAdapter => {
    if (!p.slack) throw new Error('the app built no Slack adapter');
    return p.slack;
  };
  const app = await startDeckhand(base());
  const adapter = slackOf(app);
  const processes: Deckhand[] = [app];
  let seq = 0;
  const url = (): string => {
    if (!adapter.url) throw new Error('slack adapter is not listening');
    return adapter.url;
  };

  const world: SlackWorld = {
    app, adapter, slack, sim, prefix,
    async command(who, line, co = {}) {
      const m = /^(\/\S+)\s*(.*)$/s.exec(line);
      if (!m) throw new Error(`not a slash command: ${line}`);
      const triggerId = co.triggerId ?? `${++seq}.${Date.now()}.${randomBytes(4).toString('hex')}`;
      const responseId = `cmd-${triggerId}`;
      const req = slashCommandBody({ command: m[1] ?? '', text: m[2] ?? '', userId: PEOPLE[who] ?? who, userName: who, triggerId, responseUrl: slack.responseUrl(responseId) });
      const sent = await sendToSlackApp(url(), req, co.send ?? { sign: SIGNING_SECRET });
      return { ...sent, triggerId, reply: () => slack.waitFor((c) => c.method === 'response_url' && c.args.url === `/respond/${responseId}`) };
    },
    async click(who, action, deployId) {
      const responseId = `click-${++seq}`;
      const req = blockActionsBody({
        actionId: `deckhand_${action}`, value: deployId, userId: PEOPLE[who] ?? who, userName: who,
        messageTs: await cardTs(deployId), triggerId: `t-click-${seq}-${randomBytes(3).toString('hex')}`, responseUrl: slack.responseUrl(responseId),
      });
      const sent = await sendToSlackApp(url(), req, { sign: SIGNING_SECRET });
      if (sent.status !== 200) throw new Error(`click answered ${sent.status}`);
      return slack.waitFor((c) => c.method === 'response_url' && c.args.url === `/respond/${responseId}`);
    },
    async react(who, deployId, ro = {}) {
      const ts = await cardTs(deployId);
      const event = {
        type: ro.added === false ? 'reaction_removed' : 'reaction_added', user: PEOPLE[who] ?? who, reaction: ro.emoji ?? 'white_check_mark',
        item_user: slack.botUserId, item: { type: 'message', channel: CHANNEL, ts }, event_ts: `${Date.now() / 1000}`,
      };
      return sendToSlackApp(url(), eventCallbackBody(`Ev${++seq}${randomBytes(3).toString('hex')}`, event), { sign: SIGNING_SECRET });
    },
    cardPost: (deployId) => slack.waitFor((c) => c.method === 'chat.postMessage' && c.args.thread_ts === undefined && deployIdOfCard(c) === deployId),
    cardUpdates: (deployId) => slack.callsTo('chat.update').filter((c) => deployIdOfCard(c) === deployId),
    async waitForPhase(id, phases, timeoutMs = 20_000) {
      const want = Array.isArray(phases) ? phases : [phases];
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const d = await app.deploys.get(id);
        if (d && want.includes(d.phase)) return d;
        if (Date.now() > deadline) throw new Error(`deploy #${id} is ${d?.phase ?? 'missing'} (step ${d?.step}), wanted ${want.join('|')}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async addProcess() {
      const next = await startDeckhand(base());
      processes.push(next);
      return { app: next, adapter: slackOf(next) };
    },
    async stop() {
      for (const p of processes) await p.stop().catch(() => {});
      await slack.close();
      await sim.close();
    },
  };

  /** The ts Slack gave the card's message (what reactions and clicks name). */
  async function cardTs(deployId: string): Promise<string> {
    const post = await world.cardPost(deployId);
    const ts = post.result?.ts;
    if (typeof ts !== 'string') throw new Error(`card of #${deployId} has no ts`);
    return ts;
  }

  return world;
}
