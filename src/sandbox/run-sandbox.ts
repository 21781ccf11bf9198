import type { Readable, Writable } from 'node:stream';
import { ConsoleAdapter } from '../chat/console/index.ts';
import { secretsOf, type Config } from '../config/index.ts';
import { chat, isEndPhase, type ChatText } from '../deploy/index.ts';
import { startDeckhand, type Deckhand } from '../main.ts';
import { createLogger } from '../telemetry/index.ts';
import { SANDBOX_DIR } from './sandbox-files.ts';
import { startSandboxParts } from './start-sandbox-parts.ts';

export interface SandboxOptions {
  config: Config;
  input: Readable;
  output: Writable;
  /** A person at a terminal: a banner, a prompt, live progress, and it runs until Ctrl-C. Otherwise it runs the lines and exits. */
  interactive: boolean;
  /** Where the sandbox writes its kubeconfig and Redis URL while it runs (default: .deckhand in Deckhand's folder). */
  stateDir?: string;
}

/** How long a quit (Ctrl-C, SIGTERM) lets running steps finish: the person asked to leave, within two seconds. */
const QUIT_GRACE_MS = 1000;

/**
 * `deckhand start` with no chat configured: the console chat, against the parts the sandbox adds for whatever is not
 * configured (startSandboxParts), built by the same composition root as production. Resolves with the exit code:
 * non-zero when any command was refused or any deploy it asked for failed. Everything it started is stopped, and
 * the files it wrote removed, before it resolves.
 */
export async function runSandbox(o: SandboxOptions): Promise<number> {
  const user = o.config.chat.console.user;
  let app: Deckhand | undefined;
  let failures = 0;
  const requested = new Set<string>();
  let quit = (): void => {};
  const quitting = new Promise<'quit'>((resolve) => { quit = () => resolve('quit'); });
  let endInput = (): void => {};
  const inputEnded = new Promise<'ended'>((resolve) => { endInput = () => resolve('ended'); });
  const settled = async (): Promise<void> => {
    while (!app || !(await isSettled(app))) await new Promise((r) => setTimeout(r, 100));
    await app.cards.flush();
  };
  const adapter = new ConsoleAdapter({
    input: o.input, output: o.output, defaultUser: user, live: o.interactive,
    onInputEnd: endInput, onInterrupt: quit, waitUntilSettled: settled,
    injectAlert: (args) => (app ? injectAlert(app, args) : Promise.resolve(chat`Deckhand is still starting; try again in a moment.`)),
  });
  process.once('SIGINT', quit);
  process.once('SIGTERM', quit);
  let how: 'quit' | 'ended' = 'quit';
  // The simulated #releases channel prints through the console, above its prompt.
  const parts = await startSandboxParts(o.config, { stateDir: o.stateDir ?? SANDBOX_DIR, print: (text) => adapter.print(text) });
  try {
    const config = parts.config;
    if (o.interactive) for (const line of bannerOf(config, parts.describe())) adapter.print(line);
    // The console is the log's screen too: only warnings and worse interrupt the conversation.
    const level = config.runtime.logLevel === 'info' ? 'warn' : config.runtime.logLevel;
    app = await startDeckhand({
      config, ...parts.deckhand, adapters: [adapter],
      log: createLogger({ level, secrets: secretsOf(config) }),
      onHandled: (_e, r) => { if (r.failed) failures++; if (r.deployId) requested.add(r.deployId); },
    });
    how = await Promise.race([quitting, inputEnded]);
    if (how === 'ended') {
      await settled();
      await app.notices();
      for (const id of requested) {
        const d = await app.deploys.get(id);
        // Refusals were counted when they were answered; here count rollouts that did not succeed.
        if (d && (d.phase === 'failed' || d.phase === 'rolled_back' || d.phase === 'expired')) failures++;
      }
    }
    return failures > 0 ? 1 : 0;
  } finally {
    process.off('SIGINT', quit);
    process.off('SIGTERM', quit);
    await adapter.stop();
    await app?.stop({ graceMs: how === 'quit' ? QUIT_GRACE_MS : 10_000 });
    await parts.close();
  }
}

/** True once no deploy can move without a person: everything ended or waits for approval. */
const ALERT_USAGE = chat`Usage: .alert <service> [<env>] [<alert name>] — fires an alert as Alertmanager would (e.g. .alert api production HighErrorRate).`;

/** `.alert api production HighErrorRate`: the alert the sandbox's Alertmanager would send, when none runs. */
async function injectAlert(app: Deckhand, args: string[]): Promise<ChatText> {
  const [service, env, name] = args;
  if (!service) return ALERT_USAGE;
  const summary = 'injected from the sandbox console';
  const r = await app.injectAlert({ service, ...(env && { env }), name: name ?? 'ConsoleAlert', summary });
  const what = chat`🚨 Alert ${name ?? 'ConsoleAlert'} fired for ${service}${env ? chat` in ${env}` : ''}`;
  if (r.aborted.length) return chat`${what}: taking back ${r.aborted.map((id) => `#${id}`).join(', ')}.`;
  const why = r.ignored.map((i) => i.why).join('; ') || 'no deploy of it is rolling out or watching';
  return chat`${what}: nothing to take back (${why}).`;
}

async function isSettled(app: Deckhand): Promise<boolean> {
  const open = await app.deploys.listOpen();
  // A Rollout held at a pause step waits for a person (Promote), like an approval.
  return open.every((d) => isEndPhase(d.phase) || d.phase === 'awaiting_approval' || (d.state.awaitingPerson === true && !d.steering.promote && !d.steering.resume));
}

/**
 * The first lines a person sees: what runs where, and what to type. The suggestions are taken from the config so
 * each works as written: a version of a sandbox service that rolls out cleanly, to its first environment; and for
 * approvals, how to speak as an approver — never a deploy number, which only the card can tell.
 */
export function bannerOf(config: Config, parts: readonly string[]): string[] {
  const user = config.chat.console.user;
  const lines = ['Deckhand sandbox', ...parts.map((p) => `  ${p}`)];
  const tries: string[] = [];
  const example = exampleDeploy(config);
  if (example) tries.push(`/deploy ${example.service} ${example.version} to ${example.env}`, `/status ${example.service}`);
  tries.push('/help');
  lines.push(`You are @${user}. Try: ${tries.join(' · ')}`);
  const approver = approverExample(config, user);
  lines.push(approver
    ? `Speak as someone else with @name: a deploy waiting for approval is approved by an approver, e.g. @${approver} /approve <its number>.`
    : 'Speak as someone else with @name, e.g. @alice /status.');
  lines.push('Ctrl-C quits.');
  return lines;
}

/** An approver to speak as: a person in `approvers` other than the console user, preferably from another team. */
function approverExample(config: Config, user: string): string | undefined {
  const groupsOf = (who: string): string[] => Object.entries(config.groups).filter(([g, members]) => g !== 'approvers' && members.includes(who)).map(([g]) => g);
  const mine = new Set(groupsOf(user));
  const approvers = (config.groups.approvers ?? []).filter((m) => m !== user && m in config.people);
  return approvers.find((m) => !groupsOf(m).some((g) => mine.has(g))) ?? approvers[0];
}

/** The first sandbox version after a service's running one that rolls out cleanly: not faulty, no failing profile. */
function exampleDeploy(config: Config): { service: string; version: string; env: string } | undefined {
  for (const [service, sim] of Object.entries(config.sandbox?.services ?? {})) {
    const env = Object.keys(config.services[service]?.environments ?? {})[0];
    const after = sim.versions.slice(sim.versions.indexOf(sim.running) + 1);
    const version = after.find((v) => !sim.faulty.includes(v) && sim.profiles[v] === undefined);
    if (env && version) return { service, version, env };
  }
  return undefined;
}
