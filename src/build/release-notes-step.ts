import type { Deploy, Step } from '../deploy/index.ts';
import { toDeckhandError } from '../errors.ts';
import { forgeOrFail, repoRefOf, type BuildTarget, type CompareForge, type ForgeChoice } from './ports.ts';
import { formatReleaseNotes, releaseNotes } from './release-notes.ts';
import { isRateLimited } from './build-state.ts';
import type { NextStep } from './build-steps.ts';

/** Notes come from the service's forge: GitHub's compare and pull requests, or GitLab's compare and merge requests. */
export interface ReleaseNotesDeps extends ForgeChoice<CompareForge> {
  targetOf(deploy: Deploy): BuildTarget;
  /** The version the environment runs now (from the cluster), or undefined on a first deploy. */
  runningVersion(deploy: Deploy): Promise<string | undefined>;
  maxItems?: number;
}

export const RELEASE_NOTES = 'release_notes';

/**
 * Reads the release notes between the running version and the new one, records them under
 * `state.releaseNotes` (notifications read them there at the end) and shows them on the card. Notes are a
 * courtesy: if GitHub cannot give them, the deploy goes on with a note saying so. Reads only, so a re-run is harmless.
 */
export function createReleaseNotesStep(deps: ReleaseNotesDeps, next: NextStep): Map<string, Step> {
  const step: Step = async (ctx) => {
    const d = ctx.deploy;
    const after = next(RELEASE_NOTES, d, {});
    // A rollback takes changes away rather than bringing them: no notes.
    if (d.action.kind !== 'deploy' || d.state.releaseNotes !== undefined) return { kind: 'next', step: after };
    const to = d.action.version;
    try {
      const from = await deps.runningVersion(d);
      if (from === undefined || from === to) return { kind: 'next', step: after };
      const t = deps.targetOf(d);
      const notes = await releaseNotes(forgeOrFail(deps, t), repoRefOf(t.repository), from, to);
      ctx.emit({ kind: 'release_notes', deploy: d, notes, message: formatReleaseNotes(notes, { maxItems: deps.maxItems ?? 8 }) });
      return { kind: 'next', step: after, state: { releaseNotes: notes } };
    } catch (err) {
      if (isRateLimited(err)) throw err;
      ctx.emit({ kind: 'note', deploy: d, message: `Release notes are not available: ${toDeckhandError(err).userMessage}` });
      return { kind: 'next', step: after, state: { releaseNotes: null } };
    }
  };
  return new Map([[RELEASE_NOTES, step]]);
}
