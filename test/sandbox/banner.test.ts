import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadConfigText, type Config } from '../../src/config/index.ts';
import { bannerOf } from '../../src/sandbox/index.ts';

function configOf(text: string): Config {
  const r = loadConfigText(text, 'deckhand.yaml', {});
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.line}:${p.col} ${p.message}`).join('\n'));
  return r.config;
}

const PARTS = ['redis: spawned on redis://127.0.0.1:6390 — its audit log: REDIS_URL=redis://127.0.0.1:6390 npx deckhand audit export'];

describe('the sandbox banner suggests only what works as typed', () => {
  it('given the example config, suggests a deploy that rolls out cleanly and how to approve as someone else, without a deploy number', async () => {
    const lines = bannerOf(configOf(await readFile('deckhand.yaml', 'utf8')), PARTS);

    expect(lines).toContain(`  ${PARTS[0]}`);
    expect(lines.join('\n')).toContain('You are @you. Try: /deploy api v1.5.0 to staging · /status api · /help');
    // No `/approve 1`: the first deploy above needs no approval, and only its card can tell a deploy's number.
    expect(lines.join('\n')).not.toMatch(/\/approve \d/);
    // An approver from outside your own teams (alice is in payments with you; bob is not).
    expect(lines.join('\n')).toContain('e.g. @bob /approve <its number>');
    expect(lines.at(-1)).toBe('Ctrl-C quits.');
  });

  it('given versions after the running one that are faulty or fail analysis, suggests the next clean one', () => {
    const config = configOf(`
services:
  api:
    team: payments
    repository: acme/api
    image: registry.local/acme/api
    versionPattern: 'v\\d+\\.\\d+\\.\\d+'
    environments:
      qa: { namespace: qa, deployment: api, container: api, replicas: 1 }
people: { you: {}, alice: {} }
groups: { payments: [you, alice] }
chat: { console: { user: you } }
sandbox:
  services:
    api: { running: v1.0.0, versions: [v1.0.0, v1.1.0, v1.3.0, v1.4.0], faulty: [v1.1.0], unbuilt: [v1.5.0], profiles: { v1.3.0: { errorRate: 0.5 } } }
`);
    const text = bannerOf(config, []).join('\n');

    expect(text).toContain('Try: /deploy api v1.4.0 to qa · /status api · /help');
    // No approvers group: no approval example.
    expect(text).not.toContain('/approve');
  });
});
