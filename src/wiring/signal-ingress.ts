/**
 * Part of the composition root (main.ts): the monitoring webhooks. `/alertmanager/webhook` (bearer token
 * ALERTMANAGER_TOKEN) and `/sentry/webhook` (Sentry-Hook-Signature under SENTRY_CLIENT_SECRET) turn a firing alert,
 * or a new error in the release being rolled out, into an abort of the deploy in flight for that service — through
 * the pipeline's policy gate, as the source's system actor. During a soak window the abort switches traffic back
 * to the previous version, still running. Unauthenticated calls get 401 and change nothing, as do stale Sentry
 * deliveries; resolved alerts, alerts about other services, and redeliveries change nothing either
 * (signals/signal-counts.ts; a Sentry body seen before is not even parsed).
 */
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Config } from '../config/index.ts';
import type { Actor, Deploy, SignalRef } from '../deploy/index.ts';
import { RecentDeliveries } from '../chat/recent-deliveries.ts';
import { checkBearerToken, type BufferedRequest } from '../http/index.ts';
import { checkSentryDelivery, matchServices, parseAlertmanager, parseSentry, signalCounts, type Parsed, type Signal, type SignalService } from '../signals/index.ts';

export interface SignalIngressOptions {
  config: Pick<Config, 'services'>;
  locks: { get(service: string, env: string): Promise<{ kind: string; deployId?: string } | undefined> };
  deploys: { get(id: string): Promise<Deploy | undefined> };
  /** The pipeline's `abortOnSignal`: the gate decides, the deploy's steps act. */
  abort(deploy: Deploy, actor: Actor, signal: SignalRef): Promise<{ failed: boolean }>;
  log: { info(o: object, msg: string): void; warn(o: object, msg: string): void };
  now?: () => number;
}

type Handler = (req: BufferedRequest, res: ServerResponse) => Promise<void>;

/** The system actors signals act as; policies/actions.rego lets exactly these `api:` keys abort. */
const ACTORS: Record<Signal['source'], Actor> = {
  alertmanager: { id: 'alertmanager', name: 'Alertmanager', platform: 'api', groups: [] },
  sentry: { id: 'sentry', name: 'Sentry', platform: 'api', groups: [] },
};

function reply(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

export function createAlertmanagerIngress(o: SignalIngressOptions & { token: string }): Handler {
  const act = actOnSignals(o);
  return async (req, res) => {
    const receivedAt = (o.now ?? Date.now)();
    const auth = req.headers.authorization;
    if (!checkBearerToken(Array.isArray(auth) ? auth[0] : auth, o.token)) {
      reply(res, 401, { error: { code: 'unauthorized', message: 'Alertmanager must send Authorization: Bearer <ALERTMANAGER_TOKEN>.' } });
      return;
    }
    await act(parseAlertmanager(req.rawBody.toString('utf8')), receivedAt, res);
  };
}

/**
 * Sentry signs the body only, and stamps each attempt afresh (`Request-ID` is a new random id even on its own
 * retries), so a delivery is known by its signed body: the same body again within the window is acknowledged (200,
 * so Sentry stops retrying) and changes nothing. Headers a replayer can rewrite are checked as well
 * (checkSentryDelivery), but only the signed body and its "first seen" (signalCounts) hold across processes.
 */
export function createSentryIngress(o: SignalIngressOptions & { clientSecret: string }): Handler {
  const act = actOnSignals(o);
  const deliveries = new RecentDeliveries();
  const now = o.now ?? Date.now;
  return async (req, res) => {
    const receivedAt = now();
    const verdict = checkSentryDelivery(req.rawBody, { signature: firstOf(req.headers['sentry-hook-signature']), timestamp: firstOf(req.headers['sentry-hook-timestamp']) }, o.clientSecret, receivedAt);
    if (!verdict.ok) {
      o.log.warn({ reason: verdict.reason, requestId: firstOf(req.headers['request-id']) }, 'sentry delivery refused');
      reply(res, 401, { error: { code: 'unauthorized', message: 'The Sentry delivery\'s signature or timestamp is not valid.' } });
      return;
    }
    const key = `sentry:${createHash('sha256').update(req.rawBody).digest('hex')}`;
    if (!deliveries.firstTime(key)) {
      o.log.info({ requestId: firstOf(req.headers['request-id']) }, 'sentry delivery already received; ignored');
      reply(res, 200, { aborted: [], ignored: [], duplicate: true });
      return;
    }
    try {
      await act(parseSentry(firstOf(req.headers['sentry-hook-resource']), req.rawBody.toString('utf8')), receivedAt, res);
    } catch (err) {
      // Not handled after all: Sentry's retry of it must get through.
      deliveries.forget(key);
      throw err;
    }
  };
}

const firstOf = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** What became of a batch of signals: the deploys aborted, and why the others changed nothing. */
export interface SignalOutcome {
  aborted: string[];
  ignored: { alert: string; why: string }[];
}

/**
 * Finds each signal's deploys in flight and aborts those it counts for. The webhooks and the sandbox console's
 * `.alert` go through this one function, so an injected alert is judged exactly as a delivered one.
 */
export function createSignalActor(o: SignalIngressOptions): (signals: readonly Signal[], receivedAt: number) => Promise<SignalOutcome> {
  const services: SignalService[] = Object.entries(o.config.services).map(([name, s]) => ({ name, envs: Object.keys(s.environments), signals: s.signals }));
  return async (signals, receivedAt) => {
    const aborted: string[] = [];
    const ignored: { alert: string; why: string }[] = [];
    for (const signal of signals) {
      const targets = matchServices(signal, services);
      if (targets.length === 0) ignored.push({ alert: signal.name, why: signal.status === 'resolved' ? 'resolved' : 'no configured service matches it' });
      for (const t of targets) {
        const envs = t.env ? [t.env] : services.find((s) => s.name === t.service)?.envs ?? [];
        for (const env of envs) {
          const holder = await o.locks.get(t.service, env);
          const d = holder?.kind === 'deploy' && holder.deployId ? await o.deploys.get(holder.deployId) : undefined;
          if (!d) continue;
          if (aborted.includes(d.id)) continue;
          const verdict = signalCounts(signal, d);
          if (!verdict.counts) {
            ignored.push({ alert: signal.name, why: verdict.why });
            continue;
          }
          const ref: SignalRef = {
            source: signal.source, name: signal.name, receivedAt,
            ...(signal.summary !== undefined && { summary: signal.summary }),
            ...(signal.url !== undefined && { url: signal.url }),
          };
          const r = await o.abort(d, ACTORS[signal.source], ref);
          o.log.info({ deployId: d.id, source: signal.source, alert: signal.name, refused: r.failed }, 'monitoring signal aborts a deploy');
          if (!r.failed) aborted.push(d.id);
          else ignored.push({ alert: signal.name, why: `the policy refused to abort #${d.id}` });
        }
      }
    }
    return { aborted, ignored };
  };
}

/** A firing alert about a service (and environment), as the sandbox console's `.alert` fires it. */
export interface InjectedAlert {
  service: string;
  env?: string;
  name: string;
  summary?: string;
}

/**
 * `.alert` without an Alertmanager: the alert is labelled the way the service's own alerts are matched
 * (`signals.alertLabels`, `envLabels`), so the same rule matches it, and acted on by `createSignalActor`.
 */
export function createAlertInjector(o: SignalIngressOptions): { injectAlert(a: InjectedAlert): Promise<SignalOutcome> } {
  const act = createSignalActor(o);
  return {
    injectAlert(a) {
      const signals = o.config.services[a.service]?.signals;
      const labels: Record<string, string> = { alertname: a.name, [signals?.alertLabels[0] ?? 'service']: signals?.alertValue ?? a.service };
      if (a.env) labels[signals?.envLabels[0] ?? 'env'] = a.env;
      const now = new Date();
      return act([{ source: 'alertmanager', status: 'firing', name: a.name, labels, startsAt: now.toISOString(), ...(a.summary && { summary: a.summary }) }], now.getTime());
    },
  };
}

/** The webhooks' side: a payload that did not parse is a 400; otherwise what was done, for the sender's log. */
function actOnSignals(o: SignalIngressOptions): (parsed: Parsed, receivedAt: number, res: ServerResponse) => Promise<void> {
  const act = createSignalActor(o);
  return async (parsed, receivedAt, res) => {
    if (!parsed.ok) {
      reply(res, 400, { error: { code: 'bad_payload', message: parsed.problem } });
      return;
    }
    reply(res, 200, await act(parsed.signals, receivedAt));
  };
}
