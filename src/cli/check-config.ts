import { loadConfigOrReport } from './load-config-or-report.ts';

export async function runCheckConfig(args: { config?: string }): Promise<number> {
  const config = await loadConfigOrReport(args.config);
  if (!config) return 1;
  const services = Object.entries(config.services).map(([name, s]) => `${name} (${Object.keys(s.environments).join(', ')})`);
  process.stdout.write(`${config.source}: OK — ${services.length} services: ${services.join(', ')}\n`);
  return 0;
}
