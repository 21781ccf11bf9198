import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { inject } from 'vitest';
import { AuditLog } from '../../src/audit/index.ts';
import { parseSince } from '../../src/cli/audit.ts';
import { runCommandLine } from '../../src/cli/command-line.ts';
import { DECKHAND_COMMANDS } from '../../src/cli/deckhand-commands.ts';
import { closeRedis, connectRedis, StreamStore, type Redis } from '../../src/store/index.ts';

const CONFIG = `
services:
  api:
    team: payments
    repository: acme/api
    image: registry.local/acme/api
    versionPattern: 'v\\d+\\.\\d+\\.\\d+'
    environments:
      staging: { namespace: staging, deployment: api, container: api, replicas: 1 }
`;

function capture(): { stream: PassThrough; text(): string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c: Buffer) => { text += c.toString('utf8'); });
  return { stream, text: () => text };
}

const lines = (text: string): unknown[] => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown);

describe('deckhand audit export', () => {
  let redis: Redis;
  let dir: string;
  let configPath: string;
  let prefix: string;
  beforeAll(async () => {
    redis = connectRedis(inject('redisUrl'));
    dir = await mkdtemp(join(tmpdir(), 'deckhand-audit-cli-'));
    configPath = join(dir, 'deckhand.yaml');
    await writeFile(configPath, CONFIG);
  });
  afterAll(async () => {
    await closeRedis(redis);
    await rm(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    if (prefix) await redis.del(`${prefix}:audit`);
  });

  async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
    const out = capture();
    const err = capture();
    const code = await runCommandLine(DECKHAND_COMMANDS, ['audit', ...args], { out: out.stream, err: err.stream });
    return { code, out: out.text(), err: err.text() };
  }

  function freshPrefix(): string {
    prefix = `t${randomBytes(4).toString('hex')}`;
    return prefix;
  }

  it('given a full deploy in the log, writes every entry as a JSON line, oldest first', async () => {
    vi.stubEnv('REDIS_URL', inject('redisUrl'));
    const p = freshPrefix();
    const audit = new AuditLog(new StreamStore(redis, `${p}:audit`));
    await audit.record({ kind: 'command', actor: { id: 'U1', name: 'alice', platform: 'slack', groups: [] }, channel: 'C1', text: '/deploy api v1.5.0 to staging', outcome: 'accepted', deployId: '1' });
    await audit.record({ kind: 'decision', deployId: '1', input: { service: 'api' }, result: { allow: true } });
    await audit.record({ kind: 'action', deployId: '1', target: 'staging/api', what: 'set image', before: 'v1.4.0', after: 'v1.5.0' });
    await audit.record({ kind: 'phase', deployId: '1', phase: 'succeeded', message: 'done' });

    const r = await run(['export', '--config', configPath, '--prefix', p]);

    expect(r.code, r.err).toBe(0);
    const entries = lines(r.out) as { kind: string; deployId?: string; at: string }[];
    expect(entries.map((e) => e.kind)).toEqual(['command', 'decision', 'action', 'phase']);
    expect(entries.every((e) => e.deployId === '1' && typeof e.at === 'string')).toBe(true);
  });

  it('pages through a long stream, even when thousands of entries share one millisecond', async () => {
    vi.stubEnv('REDIS_URL', inject('redisUrl'));
    const p = freshPrefix();
    const pipe = redis.pipeline();
    for (let i = 0; i < 2500; i++) pipe.xadd(`${p}:audit`, `1700000000000-${i}`, 'json', JSON.stringify({ n: i }));
    for (let i = 0; i < 1200; i++) pipe.xadd(`${p}:audit`, `${1700000000001 + i}-0`, 'json', JSON.stringify({ n: 2500 + i }));
    await pipe.exec();

    const r = await run(['export', '--config', configPath, '--prefix', p]);

    expect(r.code, r.err).toBe(0);
    const ns = (lines(r.out) as { n: number }[]).map((e) => e.n);
    expect(ns).toHaveLength(3700);
    expect(ns).toEqual(Array.from({ length: 3700 }, (_, i) => i));
  });

  it('with --since, writes only what was recorded from then on', async () => {
    vi.stubEnv('REDIS_URL', inject('redisUrl'));
    const p = freshPrefix();
    const now = Date.now();
    await redis.xadd(`${p}:audit`, `${now - 3 * 3_600_000}-0`, 'json', JSON.stringify({ n: 'old' }));
    await redis.xadd(`${p}:audit`, `${now - 30 * 60_000}-0`, 'json', JSON.stringify({ n: 'recent' }));
    await redis.xadd(`${p}:audit`, `${now}-0`, 'json', JSON.stringify({ n: 'now' }));

    const byDuration = await run(['export', '--since', '1h', '--config', configPath, '--prefix', p]);
    const byTime = await run(['export', `--since=${new Date(now - 4 * 3_600_000).toISOString()}`, '--config', configPath, '--prefix', p]);

    expect(lines(byDuration.out)).toEqual([{ n: 'recent' }, { n: 'now' }]);
    expect(lines(byTime.out)).toHaveLength(3);
  });

  it.each([
    [['export', '--since', 'yesterday'], 2, /neither a duration/],
    [['import'], 2, /unknown command "import"\. The only command is export\. See `deckhand audit --help`/],
    [['export', '--bogus'], 2, /^deckhand audit export: unknown option --bogus\. See `deckhand audit export --help`\.\n$/],
  ])('refuses %j with exit %i', async (args, code, message) => {
    const r = await run([...args, '--config', configPath]);
    expect(r.code).toBe(code);
    expect(r.err).toMatch(message);
    expect(r.out).toBe('');
  });

  it('says that REDIS_URL is needed when it is not set', async () => {
    vi.stubEnv('REDIS_URL', undefined);
    const r = await run(['export', '--config', configPath]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/REDIS_URL/);
  });
});

describe('parseSince', () => {
  it.each([
    ['24h', 1_000_000_000_000 - 86_400_000],
    ['30m', 1_000_000_000_000 - 1_800_000],
    ['2026-11-22T10:00:00Z', Date.parse('2026-11-22T10:00:00Z')],
    ['2026-11-22', Date.parse('2026-11-22')],
    ['soon', undefined],
    ['12', undefined],
  ])('%s', (text, want) => {
    expect(parseSince(text, 1_000_000_000_000)).toBe(want);
  });
});
