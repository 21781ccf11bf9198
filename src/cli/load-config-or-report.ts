import { formatConfigProblems, loadConfig, type Config } from '../config/index.ts';

/** Loads the config (printing its warnings), or prints every problem and returns undefined. */
export async function loadConfigOrReport(path?: string): Promise<Config | undefined> {
  const result = await loadConfig({ path });
  if (result.ok) {
    if (result.warnings.length) process.stderr.write(`${formatConfigProblems(result.warnings.map((w) => ({ ...w, message: `warning: ${w.message}` })))}\n`);
    return result.config;
  }
  process.stderr.write(`${formatConfigProblems(result.problems)}\n`);
  return undefined;
}
