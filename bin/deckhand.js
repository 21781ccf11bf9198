#!/usr/bin/env -S node --max-semi-space-size=1 --optimize-for-size
// Node 24 runs the TypeScript sources directly (type stripping), so a checkout needs no build step.
// The V8 flags trade a little GC time for a smaller resident set: Deckhand idles most of the day.
import '../src/cli/main.ts';
