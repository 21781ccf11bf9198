import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../src/kube/kube-types.ts';
import type { CommandContext } from '../../../src/kube/streaming/pod-commands.ts';
import { parseCommandLine, runShell } from '../../../src/kube/streaming/pod-shell.ts';

const pod: Pod = { metadata: { name: 'api-1', namespace: 'shop' }, spec: { containers: [{ name: 'api', ports: [{ containerPort: 8080 }] }] }, status: { phase: 'Running', podIP: '10.244.0.10' } };

function context(): CommandContext {
  return {
    pod,
    env: { HOME: '/root', MODE: 'fast' },
    files: { '/etc/hostname': 'api-1\n' },
    http: (port, _method, path) => Promise.resolve(port === 8080 ? { status: path === '/healthz' ? 200 : 503, body: path === '/healthz' ? 'ok\n' : 'down\n' } : 'refused'),
    signal: new AbortController().signal,
    now: () => Date.parse('2026-01-02T03:04:05Z'),
  };
}

async function sh(line: string): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  const code = await runShell(['-c', line], context(), { out: (t) => { out += t.toString(); }, err: (t) => { err += t; }, readStdin: () => Promise.resolve(undefined) }, false);
  return { out, err, code };
}

describe('the simulated shell', () => {
  it.each([
    ['echo "a  b" \'$MODE\' $MODE ${HOME}x', [['echo', 'a  b', '$MODE', 'fast', '/rootx']]],
    ['true && echo yes; false || echo no # comment', [['true'], ['echo', 'yes'], ['false'], ['echo', 'no']]],
    ['echo a\\ b', [['echo', 'a b']]],
  ])('splits %s as sh would', (line, expected) => {
    const parsed = parseCommandLine(line, { MODE: 'fast', HOME: '/root' });
    expect(parsed.ok && parsed.steps.map((s) => s.argv)).toEqual(expected);
  });

  it('refuses pipes and redirections in words a person understands', () => {
    expect(parseCommandLine('env | grep X', {})).toEqual({ ok: false, message: "sh: '|' is not supported by the simulated shell (simple commands joined by ; && || only)" });
  });

  it.each([
    ['cat /etc/hostname', { out: 'api-1\n', err: '', code: 0 }],
    ['wget -qO- http://localhost:8080/healthz', { out: 'ok\n', err: '', code: 0 }],
    ['wget -qO- localhost:8080/other', { out: '', err: 'wget: server returned error: HTTP/1.1 503 Service Unavailable\n', code: 1 }],
    ['curl -sf localhost:8080/other', { out: '', err: '', code: 22 }],
    ['curl -s 10.244.0.10:8080/healthz', { out: 'ok\n', err: '', code: 0 }],
    ['curl -s localhost:80/', { out: '', err: "curl: (7) Failed to connect to localhost port 80 after 0 ms: Couldn't connect to server\n", code: 7 }],
    ['wget -qO- api.shop.svc/healthz', { out: '', err: "wget: bad address 'api.shop.svc' (a simulated pod reaches only its own ports, on localhost)\n", code: 1 }],
    ['false; echo $?', { out: '1\n', err: '', code: 0 }],
    ['exit 3; echo never', { out: '', err: '', code: 3 }],
    ['psql', { out: '', err: expect.stringMatching(/^sh: psql: not found \(the simulated container has: .*\)\n$/) as unknown as string, code: 127 }],
  ])('%s', async (line, expected) => {
    expect(await sh(line)).toEqual(expected);
  });
});
