import { cp, mkdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

/**
 * Lays out in `root` what the Dockerfile's runtime stage copies from the build context (its `COPY` lines without
 * `--from`), so that a test or a benchmark runs the bundle among exactly the files the image has, and a file the
 * image lacks fails here as it would in a pod.
 */
export async function copyImageFiles(root: string, dockerfile = 'Dockerfile'): Promise<string[]> {
  const text = await readFile(dockerfile, 'utf8');
  const runtime = text.slice(text.indexOf(' AS runtime'));
  const copied: string[] = [];
  for (const [, args = ''] of runtime.matchAll(/^COPY\s+(?!--)(.+)$/gm)) {
    const parts = args.trim().split(/\s+/);
    const dest = parts.pop() ?? '.';
    for (const source of parts) {
      const target = dest.endsWith('/') ? join(root, dest, basename(source)) : join(root, dest);
      await mkdir(join(target, '..'), { recursive: true });
      await cp(source, target, { recursive: true });
      copied.push(source);
    }
  }
  return copied;
}
