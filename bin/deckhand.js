#!/usr/bin/env -S node --max-semi-space-size=1 --optimize-for-size
// Node 24 runs the TypeScript sources directly (type stripping), so a checkout needs no build step;
// stripped-sources.js keeps the stripped files so that a start does not load the type stripper at all.
// The V8 flags trade a little GC time for a smaller resident set: Deckhand idles most of the day.
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
