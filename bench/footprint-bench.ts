/**
 * What each SDK costs in resident memory when it is loaded (issue 15's idle-memory goal): for each, a fresh Node
 * process with bin/deckhand.js's V8 flags imports it alone, collects garbage, and reports its RSS growth; plus Node
 * itself at rest. Five runs each, the median kept. Writes bench/results/footprint.json.
 */
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { writeResult } from './results.ts';

const V8_FLAGS = (await readFile('bin/deckhand.js', 'utf8')).match(/^#!.*?node\s+(.*)$/m)?.[1]?.split(/\s+/).filter((f) => f.startsWith('--')) ?? [];
const MODULES = ['', '@slack/bolt', '@kubernetes/client-node', 'bullmq', 'ioredis', '@octokit/rest', 'discord.js', 'pino', 'prom-client', 'zod', 'yaml'];
const RUNS = 5;

/** A child that imports `name` (or nothing) and prints its RSS before and after, in bytes. */
const probe = (name: string): string => `
const before = process.memoryUsage().rss;
${name ? `await import(${JSON.stringify(name)});` : ''}
globalThis.gc(); await new Promise((r) => setTimeout(r, 300)); globalThis.gc();
console.log(JSON.stringify({ before, after: process.memoryUsage().rss }));`;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const mb = (bytes: number): number => Math.round(bytes / 2 ** 20);
const rows: Record<string, { importMb: number; rssAfterMb: number }> = {};
for (const name of MODULES) {
  const growth: number[] = [];
  const after: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = spawnSync(process.execPath, [...V8_FLAGS, '--expose-gc', '--input-type=module', '-e', probe(name)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`importing ${name} failed: ${r.stderr}`);
    const { before, after: a } = JSON.parse(r.stdout.trim()) as { before: number; after: number };
    growth.push(a - before);
    after.push(a);
  }
  rows[name || 'node (nothing imported)'] = { importMb: mb(median(growth)), rssAfterMb: mb(median(after)) };
}
await writeResult('footprint', { v8Flags: V8_FLAGS, runs: RUNS, modules: rows });
