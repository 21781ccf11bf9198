/**
 * The pipeline: one readable path from a chat message to a rollout.
 *
 *   chat event → parse (commands/) → desk: policy → approval → queue  ⟶  worker: gate → rollout driver steps
 *   every step's events → notify (cards) and audit
 */
import type { Command, Verb } from '../commands/schema.ts';
import { COMMANDS, formatHelp } from '../commands/index.ts';
import type { ChatEvent, Reply } from './chat/types.ts';
import { DeckhandError, toDeckhandError } from './errors.ts';
import { chat, DRIVER_FIRST_STEP, FIRST_STEP, isEndPhase, joinChat, markupText, quotedText, runSteps, type Actor, type Deploy, type DeployEvent, type SignalRef, type Step, type StepTable } from './deploy/index.ts';
import * as desk from './desk/index.ts';
import type { DeskDeps, DeskReply, DeskStores } from './desk/index.ts';
import { parseMessage, type ParseContext } from './parse/index.ts';
import { decideWithRetry, type PolicyBackend } from './policy/index.ts';
import type { RolloutDriver } from './rollout/index.ts';
import type { JobKind, JobOutcome } from './queue/index.ts';

/** The second policy gate, run after the release steps and just before the rollout driver's first step. */
export const REGATE_STEP = 'regate';

/** The steps between the gate and the rollout (build, release notes, GitHub deployment), when GitHub is configured. */
export interface ReleaseStage {
  steps: StepTable;
  first: string;
  /** Called once a deploy has ended (GitHub deployment status). Must not throw. */
  report(d: Deploy): Promise<void>;
}

export interface PipelineDeps extends Omit<DeskDeps, 'publish' | 'writes' | 'policyOf' | 'deploys' | 'locks' | 'freezes'> {
  /** The raw stores: the desk only ever writes through the gate's grants (desk/writes.ts); the worker runs authorized deploys. */
  deploys: DeskStores['deploys'] & DeskDeps['deploys'];
  locks: DeskStores['locks'] & DeskDeps['locks'];
  freezes: DeskStores['freezes'] & DeskDeps['freezes'];
  queue: DeskStores['queue'];
  parseContext(event: ChatEvent & { kind: 'message' }): ParseContext;
  drivers: ReadonlyMap<string, RolloutDriver>;
  release?: ReleaseStage;
  /** Step durations and failed calls to outside systems, for /metrics. */
  observeStep?(step: string, ms: number, result: 'ok' | 'error', deploy: Deploy): void;
  onStepFault?(err: DeckhandError): void;
  /** Every deploy event, for cards; the pipeline audits them itself. */
  onEvent(event: DeployEvent): void;
  log: { info(o: object, msg: string): void; error(o: object, msg: string): void };
}

export interface HandleResult {
  /** True when the command was refused or invalid (a script run exits non-zero). */
  failed: boolean;
  deployId?: string;
}

export interface Pipeline {
  handle(event: ChatEvent, respond: (reply: Reply) => Promise<void>): Promise<HandleResult>;
  runJob(kind: JobKind, deployId: string, signal: AbortSignal): Promise<JobOutcome>;
  onJobExhausted(kind: JobKind, deployId: string, err: Error): Promise<void>;
  /**
   * A monitoring signal (an alert, a new error in the release) about a deploy in flight: aborted like `/abort`,
   * through the same policy gate, as the signal's system actor; audited like a command.
   */
  abortOnSignal(deploy: Deploy, actor: Actor, signal: SignalRef): Promise<HandleResult>;
}

export function createPipeline(deps: PipelineDeps): Pipeline {
  const driverKey = (d: Deploy): string => {
    const delivery = d.delivery ?? 'kubernetes';
    if (delivery !== 'kubernetes') return delivery;
    return d.action.kind === 'rollback' ? 'rollback' : d.action.strategy.kind;
  };
  // The audit log has each phase change from the save that made it (DeployStore's journal), a new deploy's first phase
  // from the request (desk/request-deploy): events are only told.
  const publish = (event: DeployEvent): void => deps.onEvent(event);
  /** Which policy package decides a verb: the command registry says, for every verb. */
  const policyOf = (verb: Verb) => {
    const spec = COMMANDS.get(verb);
    if (!spec) throw new DeckhandError('internal_error', `/${verb} is not in the command registry.`);
    return spec.policy;
  };
  const deskDeps: DeskDeps = { ...deps, publish, policyOf, writes: desk.guardWrites(deps) };
  // The worker re-asks the policy before a rollout; a backend that blips gets one more try, then the deploy fails
  // closed (the card says why) instead of waiting out the job's retries.
  const retrying: PolicyBackend = { id: deps.policy.id, decide: (input, rule) => decideWithRetry(deps.policy, input, rule, { attempts: 2, delayMs: 200 }) };
  const workerDeskDeps: DeskDeps = { ...deskDeps, policy: retrying };

  /**
   * Policy is asked before anything is done, and (when a build runs first) again just before the rollout: a
   * freeze may have started during a long build. `then` is where the gate leads.
   */
  const gateTo = (then: string): Step => async (ctx) => {
    const d = ctx.deploy;
    if (d.steering.abort) return { kind: 'done', phase: 'aborted', summary: `Aborted by ${d.steering.abort.by} before the rollout started.` };
    let standing;
    try {
      standing = await desk.standing(workerDeskDeps, d);
    } catch (err) {
      const e = toDeckhandError(err);
      if (!e.code.startsWith('policy_')) throw err;
      return { kind: 'done', phase: 'failed', summary: `Stopped before the rollout, nothing was changed in the cluster: ${e.userMessage}` };
    }
    const { decision } = standing;
    if (decision.deny.length) {
      return { kind: 'done', phase: 'denied', summary: `Stopped before the rollout: ${decision.deny.map((r) => r.message).join(' ')}` };
    }
    if (!decision.allow) return { kind: 'done', phase: 'denied', summary: 'Stopped before the rollout: its approvals no longer satisfy the policy.' };
    // A signed service's image digest is pinned here when the request could not (it was built since): what the policy
    // just judged is what rolls out. The last gate does not let a rollout start without one.
    const image = standing.input.image;
    if (image && image.digest === null && then === DRIVER_FIRST_STEP) {
      return { kind: 'done', phase: 'failed', summary: `Stopped before the rollout, nothing was changed in the cluster: its image could not be verified (${image.reason ?? 'no digest'}).` };
    }
    const artifact = image?.digest ? { digest: image.digest, ...(image.signer && { signer: image.signer }) } : undefined;
    return { kind: 'next', step: then, ...(artifact && { artifact }) };
  };
  const release = deps.release;
  const gates: [string, Step][] = release
    ? [[FIRST_STEP, gateTo(release.first)], [REGATE_STEP, gateTo(DRIVER_FIRST_STEP)]]
    : [[FIRST_STEP, gateTo(DRIVER_FIRST_STEP)]];

  /** Each driver's whole table, built once: the runner asks for it before every step. */
  const tables = new Map<string, StepTable>();
  const stepsFor = (d: Deploy): StepTable => {
    const key = driverKey(d);
    const built = tables.get(key);
    if (built) return built;
    const driver = deps.drivers.get(key);
    if (!driver) throw new DeckhandError('deploy_invalid_state', `No rollout driver for ${key} deploys.`);
    const table: StepTable = new Map([...gates, ...(release?.steps ?? []), ...driver.steps]);
    tables.set(key, table);
    return table;
  };

  async function finish(d: Deploy): Promise<void> {
    await deps.locks.releaseDeploy(d.service, d.env, d.id);
    await deps.drivers.get(driverKey(d))?.onEnd?.(d).catch((err: unknown) => deps.log.error({ err, deployId: d.id }, 'driver clean-up at the end failed'));
    await release?.report(d);
  }

  /** The `expire` job: a deploy still waiting for approval when its time is up ends as `expired` (time decides, not a person). */
  async function expire(deployId: string): Promise<void> {
    const ttl = deps.approvalTtlMs < 60_000 ? `${Math.round(deps.approvalTtlMs / 1000)} s` : `${Math.round(deps.approvalTtlMs / 60_000)} min`;
    const summary = `Nobody approved it within ${ttl}. Ask again with a fresh /deploy when an approver is around.`;
    if ((await deps.deploys.get(deployId))?.phase !== 'awaiting_approval') return;
    let mine = false;
    const updated = await deps.deploys.update(deployId, (cur) => {
      mine = cur.phase === 'awaiting_approval';
      return mine ? { ...cur, phase: 'expired', step: 'done', summary } : undefined;
    });
    if (!mine) return;
    await deps.locks.releaseDeploy(updated.service, updated.env, deployId);
    publish({ kind: 'phase', deploy: updated, phase: 'expired', message: summary });
  }

  async function execute(cmd: Command, event: ChatEvent & { kind: 'message' }): Promise<DeskReply> {
    const actor = event.actor;
    switch (cmd.verb) {
      case 'deploy': case 'rollback': {
        // Engines other than `kubernetes` have one driver each, keyed by their kind, which runs their rollbacks too.
        const delivery = deps.services.get(cmd.service)?.environments[cmd.env]?.delivery ?? 'kubernetes';
        if (delivery !== 'kubernetes' && !deps.drivers.has(delivery)) {
          return { text: chat`${cmd.service} in ${cmd.env} is delivered by ${delivery}, which this Deckhand cannot drive (no driver for it). Nothing was changed.`, ephemeral: true, failed: true };
        }
        const unavailable = delivery === 'kubernetes' && cmd.verb === 'deploy' && !deps.drivers.has(cmd.strategy.kind);
        if (unavailable) {
          return { text: chat`${cmd.strategy.kind === 'canary' ? 'Canary' : 'Blue-green'} deploys are not available yet in this Deckhand. Use \`/deploy ${cmd.service} ${cmd.version} to ${cmd.env} rolling\` for now.`, ephemeral: true, failed: true };
        }
        return desk.requestDeploy(deskDeps, {
          service: cmd.service, env: cmd.env, actor, channel: event.channel, reason: cmd.reason,
          action: cmd.verb === 'deploy' ? { kind: 'deploy', version: cmd.version, strategy: cmd.strategy } : { kind: 'rollback', toVersion: cmd.toVersion },
          dryRun: cmd.verb === 'deploy' ? cmd.dryRun : false,
          idempotencyKey: `${event.platform}:${event.deliveryId}`,
        });
      }
      case 'approve': return desk.approve(deskDeps, cmd.deployId, actor);
      case 'withdraw': return desk.withdrawApproval(deskDeps, cmd.deployId, actor);
      case 'deny': return desk.deny(deskDeps, cmd.deployId, actor, cmd.reason);
      case 'abort': return desk.abortDeploy(deskDeps, actor, cmd.service, cmd.env, cmd.reason);
      case 'promote': case 'pause': case 'resume': return desk.steerDeploy(deskDeps, cmd.verb, actor, cmd.service, cmd.env, cmd.verb === 'promote' && cmd.full === true);
      case 'status': return desk.status(deskDeps, cmd.service, cmd.env);
      case 'history': return desk.history(deskDeps, cmd.service, cmd.env);
      case 'lock': return desk.lockService(deskDeps, actor, cmd.service, cmd.env, cmd.reason);
      case 'unlock': return desk.unlockService(deskDeps, actor, cmd.service, cmd.env);
      case 'freeze': return desk.freezeEnv(deskDeps, actor, { env: cmd.env, until: cmd.until, reason: cmd.reason });
      case 'unfreeze': return desk.unfreezeEnv(deskDeps, actor, cmd.env);
      case 'help': return { text: markupText(formatHelp(cmd.topic)), ephemeral: true };
      default: {
        const never: never = cmd;
        throw new DeckhandError('internal_error', `unhandled command ${JSON.stringify(never)}`);
      }
    }
  }

  return {
    async handle(event, respond) {
      let reply: DeskReply;
      let auditText: string;
      try {
        switch (event.kind) {
          case 'message': {
            const parsed = parseMessage(event.text, deps.parseContext(event));
            if (parsed.kind === 'not_for_us') return { failed: false };
            auditText = event.text;
            if (parsed.kind === 'problem') {
              const p = parsed.problem;
              // The parser's words quote what was typed in code spans: the spans are its markup, all else user text.
              const text = joinChat([quotedText(p.message), p.hint === undefined ? undefined : quotedText(p.hint), p.suggestion ? chat`Try: \`${p.suggestion}\`` : undefined, p.usage ? chat`Usage: \`${p.usage}\`` : undefined].filter((x) => x !== undefined), '\n');
              await deps.audit.record({ kind: 'command', actor: event.actor, channel: event.channel, text: event.text, outcome: `invalid: ${p.code}` });
              await respond({ text, ephemeral: true });
              return { failed: true };
            }
            reply = await execute(parsed.command, event);
            break;
          }
          case 'action':
            auditText = `[button] ${event.action} #${event.deployId}`;
            reply = await desk.cardAction(deskDeps, event.action, event.deployId, event.actor);
            break;
          case 'reaction':
            auditText = `[reaction ${event.added ? 'added' : 'removed'}] #${event.deployId}`;
            reply = event.added
              ? await desk.approve(deskDeps, event.deployId, event.actor)
              : await desk.withdrawApproval(deskDeps, event.deployId, event.actor);
            break;
        }
      } catch (err) {
        const e = toDeckhandError(err);
        deps.log.error({ err: e.cause ?? e, code: e.code }, 'command failed');
        auditText ??= event.kind;
        reply = { text: chat`⚠️ ${e.userMessage}`, ephemeral: true, failed: true };
      }
      // The answer goes out even when the record cannot be written (the store is what failed, most likely).
      await deps.audit.record({ kind: 'command', actor: event.actor, channel: event.channel, text: auditText, outcome: reply.failed ? 'refused' : 'ok', deployId: reply.deployId })
        .catch((err: unknown) => deps.log.error({ err }, 'audit write failed'));
      await respond({ text: reply.text, ephemeral: reply.ephemeral });
      return { failed: reply.failed ?? false, deployId: reply.deployId };
    },

    async runJob(kind, deployId, signal) {
      if (kind === 'expire') {
        await expire(deployId);
        return { kind: 'finished' };
      }
      try {
        const outcome = await runSteps({ records: deps.deploys, deployId, stepsFor, emit: publish, signal, onEnd: finish, observe: deps.observeStep });
        return outcome.kind === 'wait' ? outcome : { kind: 'finished' };
      } catch (err) {
        // The job is retried by the queue; the fault is counted, and the card says why it is not moving meanwhile.
        const e = toDeckhandError(err);
        deps.onStepFault?.(e);
        // Bounded: with Redis away the patient store would wait for it, and the retry matters more than the note.
        const read = deps.deploys.get(deployId).catch(() => undefined);
        const d = signal.aborted ? undefined : await Promise.race([read, new Promise<undefined>((r) => setTimeout(() => r(undefined), 1000).unref())]);
        if (d && !isEndPhase(d.phase)) publish({ kind: 'note', deploy: d, message: `⚠️ Step ${d.step} failed: ${e.userMessage} Retrying; the deploy fails if it keeps failing.` });
        throw err;
      }
    },

    async abortOnSignal(deploy, actor, signal) {
      const reason = `${signal.source === 'sentry' ? 'Sentry' : 'alert'} ${signal.name}${signal.summary ? `: ${signal.summary}` : ''}`;
      const reply = await desk.abortPicked(deskDeps, actor, deploy, reason, signal);
      await deps.audit.record({ kind: 'command', actor, channel: signal.source, text: `[${signal.source}] ${signal.name} firing for #${deploy.id}`, outcome: reply.failed ? 'refused' : 'ok', deployId: deploy.id })
        .catch((err: unknown) => deps.log.error({ err }, 'audit write failed'));
      return { failed: reply.failed ?? false, deployId: deploy.id };
    },

    async onJobExhausted(kind, deployId, err) {
      if (kind !== 'run') return;
      const e = toDeckhandError(err);
      deps.log.error({ err: e.cause ?? e, code: e.code, deployId }, 'deploy job failed for good');
      const d = await deps.deploys.update(deployId, (cur) => isEndPhase(cur.phase) ? undefined : { ...cur, phase: 'failed', step: 'done', summary: `Deckhand could not finish this deploy: ${e.userMessage}` });
      await finish(d);
      publish({ kind: 'phase', deploy: d, phase: d.phase, message: d.summary ?? 'failed' });
    },
  };
}
