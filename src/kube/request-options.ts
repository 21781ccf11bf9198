import { Observable, type ConfigurationOptions, type ObservableMiddleware, type RequestContext, type ResponseContext } from '@kubernetes/client-node';
import { withRetry, type RetryOptions, type RetryPolicy } from './retry-policy.ts';

/** client-node's per-call options (headers, middleware) as the generated APIs accept them. */
export type CallOptions = ConfigurationOptions<ObservableMiddleware>;

/**
 * Per-call options that give each request its own time limit: a request the API server holds past it is aborted
 * (undici rejects with a TimeoutError), so a hung connection cannot hold a rollout step forever. The signal is made
 * per request in `pre`, so every retry gets a fresh limit; `post` (the answer is read whole by then) clears its
 * timer, which `AbortSignal.timeout` cannot: every answered call left one to fire seconds later.
 */
export function withTimeout(ms: number, options?: CallOptions | object): CallOptions {
  let timer: NodeJS.Timeout | undefined;
  const timeout: ObservableMiddleware = {
    pre: (ctx: RequestContext) => {
      const controller = new AbortController();
      timer = setTimeout(() => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), ms);
      timer.unref();
      ctx.setSignal(controller.signal);
      return new Observable(Promise.resolve(ctx));
    },
    post: (rsp: ResponseContext) => {
      clearTimeout(timer);
      return new Observable(Promise.resolve(rsp));
    },
  };
  const base = (options ?? {}) as CallOptions;
  return { ...base, middleware: [...(base.middleware ?? []), timeout], middlewareMergeStrategy: 'append' };
}

/** Runs one client-node call under the retry policy, each attempt with its own time limit; errors come back raw. */
export type Retrier = <T>(op: (options: CallOptions) => Promise<T>, o?: { options?: CallOptions | object; retryConflict?: boolean }) => Promise<T>;

export function createRetrier(policy: RetryPolicy, onRetry?: RetryOptions['onRetry']): Retrier {
  return (op, o = {}) => withRetry(() => op(withTimeout(policy.requestTimeoutMs, o.options)), policy, { retryConflict: o.retryConflict, onRetry });
}
