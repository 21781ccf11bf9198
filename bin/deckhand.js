#!/usr/bin/env -S node --max-semi-space-size=8
// Node 24 runs the TypeScript sources directly (type stripping), so a checkout needs no build step;
// stripped-sources.js keeps the stripped files so that a start does not load the type stripper at all.
// The V8 flag caps the young generation at 8 MB, below Node's default: a smaller resident set for a process that
// idles most of the day (1.41x a bare Bolt app with it, 1.48x without: `npm run bench -- memory`). The flags tried
// before it, `--optimize-for-size` and a 1 MB cap, kept 1.35-1.40x but made a burst of 200 canaries take three
// times the CPU, and half as much again, respectively (`npm run bench -- canary` runs Deckhand with these flags).
import process from 'node:process';
import { nodeVersionProblem } from './node-version.js';

// Checked first, and everything else imported after it: an older Node says what to do instead of a SyntaxError.
const tooOld = nodeVersionProblem(process.versions.node);
if (tooOld) {
  process.stderr.write(tooOld);
  process.exitCode = 1;
} else {
  await import('./stripped-sources.js');
  // After the hook above is in place, so that no .ts module is loaded without it.
  await import('../src/cli/main.ts');
}
