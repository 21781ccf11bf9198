import type { Deploy } from '../deploy/index.ts';
import type { PolicyInput } from '../policy/index.ts';
import type { DeskDeps } from './desk.ts';

export type PromotionFacts = NonNullable<PolicyInput['promotion']>;

/** Records read from the earlier environment: its recent history, newest first, is where a promotion comes from. */
const HISTORY = 50;

/** What a finished record left running in its environment, as far as records tell. */
function versionLeftBy(e: Deploy): string | undefined {
  return e.action.kind === 'deploy' ? e.action.version : e.action.toVersion;
}

/**
 * Whether `e` left the same artifact running as `d` asks for: the same digest when both records have one (a tag
 * moved between the two deploys is then a different artifact), else the same version.
 */
function matchOf(e: Deploy, d: Deploy): 'digest' | 'version' | undefined {
  // The digest is pinned on records of services with a signature policy (src/artifacts/), absent on others.
  const mine = d.artifact?.digest;
  const theirs = e.artifact?.digest;
  if (mine !== undefined && theirs !== undefined) return mine === theirs ? 'digest' : undefined;
  const version = versionLeftBy(e);
  return version !== undefined && d.action.kind === 'deploy' && version === d.action.version ? 'version' : undefined;
}

const whenFinished = (e: Deploy): number => Date.parse(e.finishedAt ?? e.updatedAt);

interface Run { first: Deploy; matchedBy: 'digest' | 'version'; from: number; until?: number }

/**
 * `input.promotion` for a deploy into an environment that `requires` an earlier one; null when it requires none,
 * and for rollbacks (the way back is never held up by the order).
 *
 * From the earlier environment's succeeded deploys and rollbacks, oldest first: a run of the artifact starts when a
 * deploy of it succeeds there and ends when something else succeeds there after it. The longest run counts (the
 * one still going, if several are as long); its length is the soak. Deploys that failed or were rolled back changed
 * nothing for good, so they neither start nor end a run.
 */
export async function promotionFacts(deps: Pick<DeskDeps, 'services' | 'deploys' | 'now'>, d: Deploy): Promise<PromotionFacts | null> {
  const requires = deps.services.get(d.service)?.environments[d.env]?.requires;
  if (!requires || d.action.kind !== 'deploy') return null;
  const history = await deps.deploys.list({ service: d.service, env: requires.after, limit: HISTORY });
  const runs: Run[] = [];
  let open: Run | undefined;
  for (const e of history.filter((r) => r.phase === 'succeeded').reverse()) {
    const matchedBy = matchOf(e, d);
    if (matchedBy && !open) {
      open = { first: e, matchedBy, from: whenFinished(e) };
      runs.push(open);
    } else if (!matchedBy && open) {
      open.until = whenFinished(e);
      open = undefined;
    }
  }
  const now = deps.now().getTime();
  const length = (r: Run): number => Math.max(0, (r.until ?? now) - r.from);
  const best = runs.reduce<Run | undefined>((a, r) => (a === undefined || length(r) >= length(a) ? r : a), undefined);
  const needed = Math.ceil(requires.soakMs / 1000);
  if (!best) {
    return { after: requires.after, needed_seconds: needed, ran: false, satisfied: false, still_running: false, ran_at: null, soaked_seconds: null, deploy_id: null, matched_by: null };
  }
  const soaked = Math.floor(length(best) / 1000);
  return {
    after: requires.after,
    needed_seconds: needed,
    ran: true,
    satisfied: soaked >= needed,
    still_running: best.until === undefined,
    ran_at: new Date(best.from).toISOString(),
    soaked_seconds: soaked,
    deploy_id: best.first.id,
    matched_by: best.matchedBy,
  };
}
