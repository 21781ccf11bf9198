import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const exists = (path: string): Promise<boolean> => readFile(path).then(() => true, () => false);

describe('removeOnExit: files describing a running process go when it goes', () => {
  let dir: string | undefined;
  afterEach(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

  it('given a process killed with SIGKILL, removes the files it wrote, and leaves one another process rewrote since', async () => {
    dir = await mkdtemp(join(tmpdir(), 'deckhand-remove-on-exit-'));
    const mine = join(dir, 'kubeconfig');
    const rewritten = join(dir, 'other-kubeconfig');
    const module = new URL('../../src/sandbox/remove-on-exit.ts', import.meta.url).href;
    const script = `
      import { writeFile } from 'node:fs/promises';
      import { removeOnExit } from ${JSON.stringify(module)};
      removeOnExit([{ path: ${JSON.stringify(mine)}, marker: 'http://127.0.0.1:1111' }, { path: ${JSON.stringify(rewritten)}, marker: 'http://127.0.0.1:2222' }]);
      await writeFile(${JSON.stringify(mine)}, 'server: http://127.0.0.1:1111\\n');
      await writeFile(${JSON.stringify(rewritten)}, 'server: http://127.0.0.1:2222\\n');
      process.stdout.write('written\\n');
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await once(child.stdout!, 'data');
    // Another sandbox writes its own file at the second path.
    await writeFile(rewritten, 'server: http://127.0.0.1:3333\n');

    child.kill('SIGKILL');
    await once(child, 'exit');

    const deadline = Date.now() + 5000;
    while (await exists(mine) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(await exists(mine)).toBe(false);
    expect(await readFile(rewritten, 'utf8')).toBe('server: http://127.0.0.1:3333\n');
  });
});
