import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';

export function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, idx)]! * 100) / 100;
}

/** Writes bench/results/<name>.json with the machine it ran on, and prints it. */
export async function writeResult(name: string, result: unknown): Promise<void> {
  const record = {
    benchmark: name,
    at: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version },
    command: `npm run bench -- ${name}`,
    result,
  };
  await mkdir('bench/results', { recursive: true });
  await writeFile(`bench/results/${name}.json`, `${JSON.stringify(record, null, 2)}\n`);
  console.log(JSON.stringify(record, null, 2));
}
