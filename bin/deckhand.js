#!/usr/bin/env node
// Node 24 runs the TypeScript sources directly (type stripping), so the checkout needs no build step.
import '../src/cli/main.ts';
