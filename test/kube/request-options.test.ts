import { HttpMethod, RequestContext, ResponseContext, SelfDecodingBody } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { withTimeout } from '../../src/kube/request-options.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the per-call time limit's middleware as client-node does: `pre` on the request, `post` on its answer. */
async function limitedCall(ms: number, answered: boolean): Promise<AbortSignal> {
  const [middleware] = withTimeout(ms).middleware ?? [];
  const ctx = await middleware!.pre(new RequestContext('http://127.0.0.1/api/v1/namespaces', HttpMethod.GET)).toPromise();
  if (answered) await middleware!.post(new ResponseContext(200, {}, new SelfDecodingBody(Promise.resolve(Buffer.from('{}'))))).toPromise();
  return ctx.getSignal()!;
}

describe('withTimeout', () => {
  it('aborts a request the API server has not answered in time, with a TimeoutError', async () => {
    const signal = await limitedCall(20, false);
    await sleep(60);
    expect((signal.reason as Error).name).toBe('TimeoutError');
  });

  it('leaves nothing to fire once the answer is in', async () => {
    const signal = await limitedCall(20, true);
    await sleep(60);
    expect(signal.aborted).toBe(false);
  });
});
