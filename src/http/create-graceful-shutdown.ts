import type { HttpServer } from './create-http-server.ts';

export interface GracefulShutdownOptions {
  server: Pick<HttpServer, 'drain' | 'close'>;
  /**
   * Stops the work and closes connections (`deckhand start` passes the app's `stop`): the worker takes no new job and
   * aborts its running steps' signal, so each stops at its next checkpoint; the step log lets the next process
   * resume them. Redis and the adapters close last. `graceMs` is what is left of the budget, less a second: work
   * not stopped by then is cut off (connections dropped), so the process still exits within the budget.
   */
  stopWork: (graceMs: number) => Promise<void>;
  /**
   * How long to keep serving after `/readyz` turns 503 before the listener closes (default 5 s; none on SIGINT):
   * Kubernetes removes the pod from its Service endpoints only after the next failed probe, and requests keep
   * arriving until then.
   */
  drainDelayMs?: number;
  /** How long in-flight HTTP requests may take once the listener closes (default 10 s). */
  requestTimeoutMs?: number;
  /** The whole budget; keep it under the pod's terminationGracePeriodSeconds (default 25 s for the chart's 30). */
  timeoutMs?: number;
  log?: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** Process exit, injectable for tests. */
  exit?: (code: number) => void;
}

export interface GracefulShutdown {
  /** Runs the shutdown once; later calls return the same promise. Rejects when the budget runs out. */
  shutdown(reason: string): Promise<void>;
  /**
   * Shuts down on the first of `signals` and exits 0 (1 if it failed or overran); a second signal exits at once.
   * Returns a function that removes the listeners.
   */
  install(signals?: readonly NodeJS.Signals[]): () => void;
}

export function createGracefulShutdown(o: GracefulShutdownOptions): GracefulShutdown {
  const exit = o.exit ?? ((code: number) => process.exit(code));
  let running: Promise<void> | undefined;

  const budget = o.timeoutMs ?? 25_000;
  const steps = async (reason: string, deadline: number): Promise<void> => {
    o.log?.info({ reason }, 'shutting down: no longer ready');
    o.server.drain();
    // Ctrl-C comes from a person at a terminal, not from an orchestrator whose load balancer must first notice.
    if (reason !== 'SIGINT') await sleep(o.drainDelayMs ?? 5000);
    o.log?.info({}, 'shutting down: closing the HTTP listener');
    await o.server.close({ timeoutMs: o.requestTimeoutMs ?? 10_000 });
    o.log?.info({}, 'shutting down: stopping work at the next checkpoint');
    await o.stopWork(Math.max(0, deadline - Date.now() - 1000));
    o.log?.info({}, 'shut down');
  };

  const shutdown = (reason: string): Promise<void> => {
    running ??= (async () => {
      let timer: NodeJS.Timeout | undefined;
      const overrun = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`shutdown took longer than ${budget} ms`)), budget);
        timer.unref();
      });
      try {
        await Promise.race([steps(reason, Date.now() + budget), overrun]);
      } finally {
        clearTimeout(timer);
      }
    })();
    return running;
  };

  return {
    shutdown,
    install(signals = ['SIGTERM', 'SIGINT']) {
      const onSignal = (signal: NodeJS.Signals): void => {
        if (running) {
          o.log?.error({ signal }, 'second signal during shutdown: exiting now');
          exit(1);
          return;
        }
        shutdown(signal).then(() => exit(0), (err: unknown) => {
          o.log?.error({ err }, 'shutdown failed');
          exit(1);
        });
      };
      for (const s of signals) process.on(s, onSignal);
      return () => {
        for (const s of signals) process.off(s, onSignal);
      };
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
