#!/usr/bin/env -S node --max-semi-space-size=1 --optimize-for-size
// Node 24 runs the TypeScript sources directly (type stripping), so a checkout needs no build step;
// stripped-sources.js keeps the stripped files so that a start does not load the type stripper at all.
// The V8 flags trade a little GC time for a smaller resident set: Deckhand idles most of the day.
import './stripped-sources.js';

// Dynamic, so that the hook above is in place before the first .ts module is loaded.
await import('../src/cli/main.ts');
