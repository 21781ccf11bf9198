import { ReleaseNotes, type Deploy } from '../deploy/index.ts';
import { formatReleaseNotes } from './release-notes.ts';

/**
 * What a release notice adds to an ended deploy: its release notes and compare link, when the release stage wrote
 * them (a deploy without GitHub has none).
 */
export function releaseNoticeExtras(d: Deploy): { releaseNotes?: string; links?: { label: string; url: string }[] } {
  const notes = ReleaseNotes.safeParse(d.state.releaseNotes);
  if (!notes.success) return {};
  return { releaseNotes: formatReleaseNotes(notes.data), links: notes.data.compareUrl ? [{ label: 'Compare', url: notes.data.compareUrl }] : [] };
}

