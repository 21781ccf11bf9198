import type { PolicyInput } from '../policy/index.ts';
import type { DeskDeps } from './desk.ts';
import type { Grant } from './grant.ts';
import { formatUtc } from './format-utc.ts';

type Freeze = PolicyInput['freezes'][number];

function inForce(f: Freeze, env: string, now: Date): boolean {
  return f.env === env && new Date(f.from) <= now && (f.until === undefined || new Date(f.until) > now);
}

function describeFreeze(f: Freeze): string {
  return `by ${f.by}${f.until ? ` until ${formatUtc(f.until)}` : ' until /unfreeze'}${f.reason ? ` (“${f.reason}”)` : ''}`;
}

/**
 * Whether the policy sees `env` as frozen, asked without the request's reason: a request that states a reason is
 * a hotfix, which the policy lets through a freeze (with more approvals) instead of refusing. A what-if, like a
 * dry run: it grants and records nothing.
 */
async function frozenByPolicy(deps: DeskDeps, grant: Grant): Promise<boolean> {
  const ref = deps.policyOf(grant.verb);
  if (ref.kind !== 'decision') return false;
  const { reason: _reason, ...request } = grant.input.request;
  const asIfNoReason = await deps.policy.decide({ ...grant.input, request: { ...request, dry_run: true } }, ref);
  return asIfNoReason.deny.some((d) => d.rule === 'freeze');
}

/**
 * Why a request that gave a reason goes through a frozen environment, for the approvers: the freeze (who set it,
 * until when, why) and the reason. One line, or undefined when the environment is not frozen. Freezes set with
 * `/freeze` are described; a window from the policy data is named as such (the desk cannot read the policy's data).
 */
export async function hotfixContext(deps: DeskDeps, grant: Grant, r: { env: string; reason?: string }): Promise<string | undefined> {
  if (!r.reason?.trim()) return undefined;
  const now = deps.now();
  const freezes = (await deps.freezes.list(now)).filter((f) => inForce(f, r.env, now));
  const frozen = freezes.length ? `${r.env} is frozen ${freezes.map(describeFreeze).join('; and ')}` : await frozenByPolicy(deps, grant).then((yes) => yes ? `${r.env} is in a freeze window of the policy` : undefined);
  return frozen ? `❄️ Hotfix during a freeze: ${frozen}. Reason given: “${r.reason}”.` : undefined;
}
