/**
 * A signal that aborts when `signal` does or when `ms` have passed, and `done()` to call once the answer is read.
 * `AbortSignal.timeout` cannot be cleared: every answered query left a timer that fired later anyway (an exception
 * object and an abort event each), thousands of them while many canaries are analysed at once.
 */
export function deadline(signal: AbortSignal, ms: number): { signal: AbortSignal; done(): void } {
  const controller = new AbortController();
  const follow = (): void => controller.abort(signal.reason);
  if (signal.aborted) follow();
  else signal.addEventListener('abort', follow, { once: true });
  const timer = setTimeout(() => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), ms);
  timer.unref();
  return {
    signal: controller.signal,
    done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', follow);
    },
  };
}
