import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createLogger, createSecretMask, maskProcessOutput } from '../../src/telemetry/index.ts';

const SECRET = 'tel-secret-"quoted"/9a8b';

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({ write(chunk: Buffer, _enc, done) { chunks.push(chunk.toString('utf8')); done(); } });
  return { stream, text: () => chunks.join('') };
}

describe('createSecretMask', () => {
  it('masks a secret as is, escaped inside JSON, and percent-encoded in a URL', () => {
    const mask = createSecretMask([SECRET]);
    const text = `${SECRET} ${JSON.stringify({ v: SECRET })} redis://:${encodeURIComponent(SECRET)}@host`;
    const masked = mask(text);
    expect(masked).not.toContain('9a8b');
    expect(masked.match(/\[REDACTED\]/g)).toHaveLength(3);
  });

  it('leaves text alone when there is nothing configured, or the secret is too short to mask safely', () => {
    expect(createSecretMask([])('level info')).toBe('level info');
    expect(createSecretMask(['info'])('level info')).toBe('level info');
  });
});

describe('createLogger', () => {
  it('masks configured values anywhere in a line, and leaves out the command ioredis attaches to a refused AUTH', () => {
    const out = capture();
    const log = createLogger({ secrets: [SECRET], destination: out.stream });
    const refused = Object.assign(new Error('WRONGPASS invalid username-password pair'), { name: 'ReplyError', command: { name: 'auth', args: ['pw12'] } });
    log.error({ err: refused, note: `token was ${SECRET}` }, `failed with ${SECRET}`);
    log.warn({ error: refused, headers: { authorization: 'Bearer abc.def' } }, 'again');
    const text = out.text();
    expect(text).toContain('WRONGPASS');
    expect(text).not.toContain('9a8b');
    // The password in the command is shorter than what masking can catch: it must not be logged at all.
    expect(text).not.toContain('pw12');
    expect(text).not.toContain('abc.def');
  });
});

describe('maskProcessOutput', () => {
  it('masks string and byte writes of a stream until restored, and leaves bytes without secrets untouched', () => {
    const out = capture();
    const stream = out.stream as unknown as NodeJS.WriteStream;
    const restore = maskProcessOutput([SECRET], [stream]);
    stream.write(`console.error: ${SECRET}\n`);
    stream.write(Buffer.from(`bytes: ${SECRET}\n`));
    const binary = Buffer.from([0xff, 0x00, 0xfe]);
    stream.write(binary);
    restore();
    stream.write(`after: ${SECRET}\n`);
    const text = out.text();
    expect(text).toContain('console.error: [REDACTED]');
    expect(text).toContain('bytes: [REDACTED]');
    expect(text).toContain(binary.toString('utf8'));
    expect(text).toContain(`after: ${SECRET}`);
  });
});

describe('installFinalHandler (in a process of its own)', () => {
  const script = (fault: string): string => `
    import { createLogger, installFinalHandler, maskProcessOutput } from ${JSON.stringify(pathToFileURL(`${process.cwd()}/src/telemetry/index.ts`).href)};
    const secrets = ['final-secret-4c2e9a'];
    maskProcessOutput(secrets);
    installFinalHandler({ log: createLogger({ secrets }) });
    console.error('a library prints final-secret-4c2e9a on its own');
    ${fault}
    setTimeout(() => console.log('still running'), 200);
  `;

  it.each([
    ['an uncaught exception', "setTimeout(() => { throw Object.assign(new Error('boom final-secret-4c2e9a'), { command: { args: ['final-secret-4c2e9a'] } }); }, 10);", 'uncaught exception'],
    ['an unhandled rejection', "Promise.reject(new Error('rejected final-secret-4c2e9a'));", 'unhandled promise rejection'],
  ])('logs %s masked and exits 1 instead of dumping it', (_name, fault, message) => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script(fault)], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(message);
    expect(r.stdout).not.toContain('still running');
    expect(`${r.stdout}${r.stderr}`).not.toContain('final-secret-4c2e9a');
  });
});
