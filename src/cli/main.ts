import { parseArgs } from 'node:util';
import { runCheckConfig } from './check-config.ts';
import { runSim } from './sim.ts';
import { AUDIT_USAGE, runAuditCommand } from './audit.ts';
import { DISCORD_USAGE, runDiscordCommand } from './discord.ts';
import { runPolicyCommand } from './policy.ts';
import { runStart } from './start.ts';

const USAGE = `deckhand — deploy, approve and roll back from chat

Usage:
  deckhand start [--config FILE] [--script FILE]   run Deckhand (the sandbox when nothing is configured)
  deckhand sim [--port N] [--kubeconfig PATH] [--config FILE]
                                                   run only the simulated Kubernetes cluster
  deckhand check-config [--config FILE]            report every problem in the config at once
  deckhand policy test|eval|conformance|serve      work with the Rego policies (deckhand policy for details)
  deckhand help                                    this text
${DISCORD_USAGE}${AUDIT_USAGE}`;

/** Thin: parses argv and hands over to the command; every command returns its exit code. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start': {
      const { values } = parseArgs({ args: rest, options: { config: { type: 'string' }, script: { type: 'string' } } });
      return runStart(values);
    }
    case 'sim': {
      const { values } = parseArgs({ args: rest, options: { config: { type: 'string' }, port: { type: 'string' }, kubeconfig: { type: 'string' } } });
      return runSim(values);
    }
    case 'check-config': {
      const { values } = parseArgs({ args: rest, options: { config: { type: 'string' } } });
      return runCheckConfig(values);
    }
    case 'policy':
      return runPolicyCommand(rest);
    case 'discord':
      return runDiscordCommand(rest);
    case 'audit':
      return runAuditCommand(rest);
    case undefined: case 'help': case '--help': case '-h':
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err: unknown) => {
  const e = err as { userMessage?: string; message?: string };
  process.stderr.write(`deckhand: ${e.userMessage ?? e.message ?? String(err)}\n`);
  process.exitCode = 1;
});
