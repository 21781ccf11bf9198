import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ConsoleAdapter } from '../../src/chat/console/index.ts';
import { chat } from '../../src/deploy/index.ts';
import { startSignalsWorld, until, type SignalsWorld } from './signals-world.ts';

const END = ['succeeded', 'failed', 'rolled_back', 'aborted'] as const;

describe('an alert injected from the sandbox console (no Alertmanager running)', () => {
  let world: SignalsWorld | undefined;
  afterEach(async () => { await world?.stop(); world = undefined; });

  it('given a canary in flight, when .alert names its service and env, then it is rolled back as a delivered alert would be', async () => {
    world = await startSignalsWorld();
    await world.say('/deploy api v1.5.0 to staging canary 25%');
    await until('the canary analysed', () => world!.app.deploys.get('1'), (d) => d?.step === 'hold');

    const r = await world.app.injectAlert({ service: 'api', env: 'staging', name: 'HighErrorRate', summary: 'injected' });

    expect(r.aborted).toEqual(['1']);
    const d = await world.waitForPhase('1', [...END], 15_000);
    expect(d.phase).toBe('rolled_back');
    expect(d.steering.abort?.signal).toMatchObject({ source: 'alertmanager', name: 'HighErrorRate', summary: 'injected' });
    expect((await world.app.kube.readDeployment('staging', 'api')).images.api).toBe('registry.local/acme/api:v1.4.0');
  });

  it('given a service matched on its own labels, when .alert names it, then the alert carries those labels', async () => {
    world = await startSignalsWorld();
    await world.say('/deploy shop v3.1.0 to staging');
    await until('the rollout started', () => world!.app.deploys.get('1'), (d) => d?.phase === 'rolling_out' || d?.phase === 'succeeded');

    const r = await world.app.injectAlert({ service: 'shop', env: 'staging', name: 'Down' });

    // shop is matched by `app: shop-svc` and `stage`: the injected alert is labelled that way, so it reaches the same rule.
    expect(r.ignored.every((i) => i.why !== 'no configured service matches it')).toBe(true);
  });

  it('given nothing in flight, when .alert names a service, then nothing changes and it says why', async () => {
    world = await startSignalsWorld();
    const r = await world.app.injectAlert({ service: 'api', env: 'staging', name: 'HighErrorRate' });
    expect(r.aborted).toEqual([]);
    expect(await world.app.deploys.list({ limit: 5 })).toEqual([]);
  });
});

describe('the console .alert directive', () => {
  it('passes its words to the sandbox and prints the answer; without a handler it says alerts cannot be injected', async () => {
    const run = async (withHandler: boolean): Promise<{ out: string; args: string[][] }> => {
      const input = new PassThrough();
      const output = new PassThrough();
      let out = '';
      output.on('data', (c: Buffer) => { out += c.toString('utf8'); });
      const args: string[][] = [];
      const done = new Promise<void>((resolve) => {
        const adapter = new ConsoleAdapter({
          input, output, defaultUser: 'you', live: false, onInputEnd: resolve,
          ...(withHandler && { injectAlert: async (a: string[]) => { args.push(a); return chat`fired ${a.join('/')}`; } }),
        });
        void adapter.start({ onEvent: async () => {} } as never);
      });
      input.end('.alert api production HighErrorRate\n');
      await done;
      return { out, args };
    };
    const handled = await run(true);
    expect(handled.args).toEqual([['api', 'production', 'HighErrorRate']]);
    expect(handled.out).toContain('fired api/production/HighErrorRate');
    expect((await run(false)).out).toContain('Alerts cannot be injected here.');
  });
});
