import { formatConfigProblems, loadConfig, type Config } from '../config/index.ts';

/** Loads the config, or prints every problem and returns undefined. */
export async function loadConfigOrReport(path?: string): Promise<Config | undefined> {
  const result = await loadConfig({ path });
  if (result.ok) return result.config;
  process.stderr.write(`${formatConfigProblems(result.problems)}\n`);
  return undefined;
}
