import type { AnyCommandSpec, CommandRegistry } from './spec.ts';
import { abort } from './abort.ts';
import { approve } from './approve.ts';
import { deny } from './deny.ts';
import { deploy } from './deploy.ts';
import { freeze } from './freeze.ts';
import { help } from './help.ts';
import { history } from './history.ts';
import { lock } from './lock.ts';
import { pause } from './pause.ts';
import { promote } from './promote.ts';
import { resume } from './resume.ts';
import { rollback } from './rollback.ts';
import { status } from './status.ts';
import { unfreeze } from './unfreeze.ts';
import { unlock } from './unlock.ts';
import { withdraw } from './withdraw.ts';

/** The one registry of verbs, in the order `/help` lists them. */
const SPECS: readonly AnyCommandSpec[] = [
  deploy, rollback, status, history, promote, pause, resume, abort, approve, withdraw, deny, lock, unlock, freeze, unfreeze, help,
];

export const COMMANDS: CommandRegistry = new Map(SPECS.map((spec) => [spec.name, spec]));
