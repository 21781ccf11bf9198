import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS, type Verb } from '../../commands/index.ts';
import type { CardActionId, ChatEvent } from '../../src/chat/types.ts';
import { compareVersions, versionOfImage, type Actor } from '../../src/deploy/index.ts';
import { startWorld, worldConfig, type World } from '../helpers/world.ts';

/**
 * Every state-changing verb of the command registry × every kind of person, through the pipeline as chat sends it
 * (typed commands, card buttons, reactions). What must hold: the gate asked the policy about exactly that verb and
 * that person, a refusal changes nothing at all, and an allowed action has its effect. The table below is checked
 * against the registry, so a verb added without a policy (and without a row here) fails this suite.
 */

type Role = 'owner' | 'oncall' | 'approver' | 'requester' | 'stranger';
const ROLES: Role[] = ['owner', 'oncall', 'approver', 'requester', 'stranger'];
/** Console speakers of CONFIG: dave owns the services, carol is on call, bob approves, alice asks, mallory is nobody. */
const SPEAKER: Record<Role, string> = { owner: 'dave', oncall: 'carol', approver: 'bob', requester: 'alice', stranger: 'mallory' };

const SERVICES = ROLES.map((r) => `svc-${r}`);
const CONFIG = `
services:
${SERVICES.map((s) => `  ${s}:
    team: payments
    repository: acme/${s}
    image: registry.local/acme/${s}
    versionPattern: '^v\\d+\\.\\d+\\.\\d+$'
    environments:
      staging: { namespace: staging, deployment: ${s}, container: ${s}, replicas: 2, progressDeadlineSeconds: 5 }
      production: { namespace: production, deployment: ${s}, container: ${s}, replicas: 2, progressDeadlineSeconds: 5 }
    canary: { steps: [25, 100], hold: 60s }
`).join('')}
people:
  alice: {}
  bob: {}
  carol: {}
  dave: {}
groups:
  payments: [alice, dave]
  oncall: [carol]
  approvers: [alice, bob, carol]
approvals: { expireAfter: 5m }
sandbox:
  readyDelayMs: 30
  services:
${SERVICES.map((s) => `    ${s}: { running: v1.4.0, versions: [v1.3.0, v1.4.0, v1.5.0, v1.6.0, v1.7.0, v1.8.0] }`).join('\n')}
`;

interface Case {
  /** Who the shipped policies let do it. */
  allowed: Role[];
  /** What exists before the person acts (done by alice or carol, who may). */
  setup?: (w: World, service: string) => Promise<string | undefined>;
  /** The command line, given the service and the deploy id the setup made. */
  line: (service: string, deployId?: string) => string;
  /** The card button for the same verb, if the card has one. */
  button?: CardActionId;
  /** The approval reaction added (approve) or removed (withdraw) on the card. */
  reaction?: 'added' | 'removed';
  /** Allowed, but there may be nothing to change (withdrawing a vote never cast). */
  mayChangeNothing?: boolean;
}

async function lastDeployOf(w: World, service: string, env: string): Promise<string> {
  const [d] = await w.app.deploys.list({ service, env, limit: 1 });
  if (!d) throw new Error(`no deploy of ${service} in ${env}`);
  return d.id;
}

/** A production deploy by alice, waiting for one approval. */
async function pendingDeploy(w: World, service: string): Promise<string> {
  await w.say(`@alice /deploy ${service} v1.5.0 to production`);
  const id = await lastDeployOf(w, service, 'production');
  await w.waitForPhase(id, 'awaiting_approval');
  return id;
}

/** A canary by alice in staging, holding at its first step for a minute. */
async function canaryInFlight(w: World, service: string): Promise<string> {
  // A promoted canary of an earlier case may have left a newer version running: ask for the next one up (an older
  // one would be a downgrade, which needs a reason and an approval).
  const running = versionOfImage((await w.app.kube.readDeployment('staging', service)).images[service] ?? '');
  const next = ['v1.5.0', 'v1.6.0', 'v1.7.0', 'v1.8.0'].find((v) => compareVersions(running, v) === 'upgrade');
  await w.say(`@alice /deploy ${service} ${next ?? 'v1.8.0'} to staging canary 25%`);
  const id = await lastDeployOf(w, service, 'staging');
  const deadline = Date.now() + 15_000;
  for (;;) {
    const d = await w.app.deploys.get(id);
    if (d?.phase === 'rolling_out' && d.state.holdUntil !== undefined) return id;
    if (Date.now() > deadline) throw new Error(`canary #${id} is ${d?.phase} at ${d?.step}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const TABLE: Record<string, Case> = {
  deploy: { allowed: ['owner', 'oncall', 'requester'], line: (s) => `/deploy ${s} v1.5.0 to production` },
  rollback: { allowed: ['owner', 'oncall', 'requester'], line: (s) => `/rollback ${s} staging to v1.3.0` },
  approve: { allowed: ['oncall', 'approver'], setup: pendingDeploy, line: (_s, id) => `/approve ${id}`, button: 'approve', reaction: 'added' },
  withdraw: { allowed: ROLES, setup: pendingDeploy, line: (_s, id) => `/withdraw ${id}`, reaction: 'removed', mayChangeNothing: true },
  deny: { allowed: ['oncall', 'approver', 'requester'], setup: pendingDeploy, line: (_s, id) => `/deny ${id} not now`, button: 'deny' },
  abort: { allowed: ['owner', 'oncall', 'requester'], setup: pendingDeploy, line: (s) => `/abort ${s} production`, button: 'abort' },
  promote: { allowed: ['owner', 'oncall', 'requester'], setup: canaryInFlight, line: (s) => `/promote ${s} staging`, button: 'promote' },
  pause: { allowed: ['owner', 'oncall', 'requester'], setup: canaryInFlight, line: (s) => `/pause ${s} staging`, button: 'pause' },
  resume: { allowed: ['owner', 'oncall', 'requester'], setup: canaryInFlight, line: (s) => `/resume ${s} staging`, button: 'resume' },
  lock: { allowed: ['owner', 'oncall', 'requester'], line: (s) => `/lock ${s} staging maintenance` },
  unlock: {
    allowed: ['owner', 'oncall', 'requester'],
    setup: async (w, s) => { await w.say(`@carol /lock ${s} staging held`); return undefined; },
    line: (s) => `/unlock ${s} staging`,
  },
  freeze: { allowed: ['oncall', 'approver', 'requester'], line: () => '/freeze staging for 1h incident' },
  unfreeze: {
    allowed: ['oncall', 'approver', 'requester'],
    setup: async (w) => { await w.say('@carol /freeze staging for 1h incident'); return undefined; },
    line: () => '/unfreeze staging',
  },
};

const STATE_VERBS = [...COMMANDS.values()].filter((spec) => spec.policy.kind === 'decision').map((spec) => spec.name);

function actorOf(role: Role): Actor {
  return { id: SPEAKER[role], name: SPEAKER[role], platform: 'console', groups: [] };
}

/**
 * Everything a chat action on `service` can change: its deploy records, its locks, freezes, and the effects the
 * audit log records. (Other services' rollouts from earlier cases keep moving; they are not this action's doing.)
 */
async function snapshot(w: World, service: string): Promise<string> {
  const deploys = (await w.app.deploys.list({ limit: 200 })).filter((d) => d.service === service).map(({ updatedAt: _u, ...d }) => d);
  const ids = new Set(deploys.map((d) => d.id));
  const locks = (await w.app.locks.list()).filter((l) => l.service === service);
  const effects = (await w.app.audit.latest(1000)).filter((e) => e.kind === 'freeze' || (e.kind === 'lock' && e.service === service) || (e.kind === 'approval' && e.accepted && ids.has(e.deployId)));
  return JSON.stringify({ deploys, locks, effects: effects.map(({ at: _a, ...e }) => e) });
}

async function gateDecisions(w: World, verb: string, person: string): Promise<{ allow: boolean; deny: unknown[] }[]> {
  const entries = await w.app.audit.latest(1000);
  return entries.flatMap((e) => {
    if (e.kind !== 'decision') return [];
    const input = e.input as { action: string; requester: { id: string } };
    return input.action === verb && input.requester.id === person ? [e.result as { allow: boolean; deny: unknown[] }] : [];
  });
}

let seq = 0;
type Way = 'command' | 'button' | 'reaction';

async function act(w: World, role: Role, how: Way, c: Case, verb: string, service: string, deployId?: string): Promise<string> {
  const actor = actorOf(role);
  const base = { platform: 'console' as const, actor, channel: 'console', deliveryId: `matrix-${++seq}` };
  const cardOf = async (): Promise<string> => deployId ?? lastDeployOf(w, service, verb === 'promote' || verb === 'pause' || verb === 'resume' ? 'staging' : 'production');
  const event: ChatEvent = how === 'button' ? { ...base, kind: 'action', action: c.button!, deployId: await cardOf() }
    : how === 'reaction' ? { ...base, kind: 'reaction', added: c.reaction === 'added', deployId: await cardOf() }
    : { ...base, kind: 'message', text: c.line(service, deployId), addressed: true };
  let reply = '';
  await w.app.pipeline.handle(event, async (r) => { reply = String(r.text); });
  return reply;
}

describe('the registry and the table agree', () => {
  it('every state-changing verb has a policy and a row here; read-only verbs are only status, history, help', () => {
    expect(Object.keys(TABLE).sort()).toEqual([...STATE_VERBS].sort());
    const readOnly = [...COMMANDS.values()].filter((s) => s.policy.kind === 'read').map((s) => s.name).sort();
    expect(readOnly).toEqual(['help', 'history', 'status']);
  });
});

describe.each(STATE_VERBS.map((v) => [v] as [Verb]))('/%s', (verb) => {
  const c = TABLE[verb]!;
  let w: World;
  beforeAll(async () => { w = await startWorld({ config: worldConfig(CONFIG) }); });
  afterAll(async () => { await w?.stop(); });

  const ways: Way[] = ['command', ...(c.button ? ['button' as const] : []), ...(c.reaction ? ['reaction' as const] : [])];
  for (const how of ways) {
    it.each(ROLES)(`${how} by the %s`, async (role) => {
      const service = `svc-${role}`;
      // Each case starts clean: nothing in flight, nothing frozen or locked for this service.
      await w.say(`@carol /unfreeze staging`);
      await w.say(`@carol /unlock ${service} staging`);
      for (const env of ['staging', 'production']) {
        const inFlight = (await w.app.deploys.list({ service, env, limit: 5 })).filter((d) => !['succeeded', 'failed', 'rolled_back', 'aborted', 'denied', 'expired'].includes(d.phase));
        for (const d of inFlight) {
          await w.say(`@carol /abort ${service} ${env}`);
          await w.waitForPhase(d.id, ['aborted', 'rolled_back', 'succeeded', 'failed', 'denied'], 20_000);
        }
      }
      const deployId = await c.setup?.(w, service);
      const before = await snapshot(w, service);
      const decisionsBefore = (await gateDecisions(w, verb, SPEAKER[role])).length;

      const reply = await act(w, role, how, c, verb, service, deployId);

      const decisions = await gateDecisions(w, verb, SPEAKER[role]);
      expect(decisions.length, `the gate asked the policy about /${verb} for ${SPEAKER[role]} (reply: ${reply})`).toBeGreaterThan(decisionsBefore);
      const last = decisions[0]!;
      const after = await snapshot(w, service);
      if (c.allowed.includes(role)) {
        expect(last.deny, reply).toEqual([]);
        if (!c.mayChangeNothing) expect(after, `an allowed /${verb} changed something (reply: ${reply})`).not.toEqual(before);
      } else {
        expect(last.deny.length, reply).toBeGreaterThan(0);
        expect(reply).toMatch(/🚫/);
        expect(after, `a refused /${verb} changed nothing`).toEqual(before);
      }
    });
  }
});
