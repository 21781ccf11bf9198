import { runCommandLine } from './command-line.ts';
import { DECKHAND_COMMANDS } from './deckhand-commands.ts';

// Thin: the command tree in deckhand-commands.ts says what each command takes; command-line.ts parses, answers
// --help and refuses mistakes; every command returns its exit code.
const argv = process.argv.slice(2);
const asked = argv[0] === '--version' || argv[0] === '-V' ? ['version'] : argv;

runCommandLine(DECKHAND_COMMANDS, asked, { out: process.stdout, err: process.stderr }).then((code) => { process.exitCode = code; }, (err: unknown) => {
  const e = err as { userMessage?: string; message?: string };
  process.stderr.write(`deckhand: ${e.userMessage ?? e.message ?? String(err)}\n`);
  process.exitCode = 1;
});
