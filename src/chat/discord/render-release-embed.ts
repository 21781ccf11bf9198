import { EmbedBuilder, type APIEmbed } from 'discord.js';
import type { ReleaseOutcome } from '../../config/schema.ts';
import { versionOfImage, type Deploy } from '../../deploy/index.ts';

/** What the rest of Deckhand knows about a release beyond the deploy record (GitHub's part). */
export interface ReleaseExtras {
  /** Commits and PR titles between the previous version and this one, already grouped and trimmed for chat. */
  releaseNotes?: string;
  /** Build run, GitHub deployment, compare view, the chat card …; the first one is the embed title's link. */
  links?: { label: string; url: string }[];
}

/**
 * Which kind of release notice a finished deploy is, or undefined when nothing was released (denied, expired,
 * still running). A restored failed rollout (`rolled_back`) and a completed `/rollback` are both "rollback".
 */
export function releaseOutcomeOf(d: Deploy): ReleaseOutcome | undefined {
  switch (d.phase) {
    case 'succeeded': return d.action.kind === 'rollback' ? 'rollback' : 'success';
    case 'rolled_back': return 'rollback';
    case 'failed': return 'failure';
    case 'aborted': return 'abort';
    case 'awaiting_approval': case 'queued': case 'building': case 'rolling_out': case 'rolling_back': case 'denied': case 'expired':
      return undefined;
    default: {
      const never: never = d.phase;
      return never;
    }
  }
}

const COLOR: Record<ReleaseOutcome, number> = { success: 0x2e7d32, failure: 0xc62828, abort: 0x757575, rollback: 0xef6c00 };

const imageVersion = (v: unknown): string | undefined => (typeof v === 'string' ? versionOfImage(v) : undefined);
const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** `1h 2m`, `3m 4s`, `12s`: how long from the request to the end, approval wait included. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

function titleOf(d: Deploy, outcome: ReleaseOutcome, version: string): string {
  if (d.action.kind === 'rollback') {
    return outcome === 'rollback' ? `↩️ ${d.service} rolled back to ${version} in ${d.env}` : `${outcome === 'abort' ? '🛑' : '❌'} Rollback of ${d.service} in ${d.env} ${outcome === 'abort' ? 'aborted' : 'failed'}`;
  }
  switch (outcome) {
    case 'success': return `✅ ${d.service} ${version} released to ${d.env}`;
    case 'failure': return `❌ ${d.service} ${version} failed in ${d.env}`;
    case 'abort': return `🛑 ${d.service} ${version} aborted in ${d.env}`;
    case 'rollback': return `↩️ ${d.service} ${version} rolled back in ${d.env}`;
    default: {
      const never: never = outcome;
      return never;
    }
  }
}

/** What the version the deploy replaced is to this outcome. */
function previousLabel(d: Deploy, outcome: ReleaseOutcome): string {
  if (d.action.kind === 'rollback') return 'Rolled back from';
  return outcome === 'rollback' || outcome === 'abort' ? 'Restored' : 'Previous version';
}

/**
 * The release notice for a finished deploy: who asked, who approved, how long, what changed (release notes),
 * where to look (links). Pure; the embed limits (256 title, 4096 description, 1024 per field) are respected.
 */
export function renderReleaseEmbed(d: Deploy, outcome: ReleaseOutcome, extras: ReleaseExtras = {}): APIEmbed {
  const version = d.action.kind === 'deploy' ? d.action.version : d.action.toVersion ?? imageVersion(d.state.toImage) ?? 'the previous version';
  const approvers = d.approvals.filter((a) => a.vote === 'approve').map((a) => a.actor.name);
  const fields = [
    { name: 'Service', value: d.service, inline: true },
    { name: 'Version', value: version, inline: true },
    { name: 'Environment', value: d.env, inline: true },
    { name: 'Requested by', value: d.requestedBy.name, inline: true },
    { name: 'Approved by', value: approvers.length ? approvers.join(', ') : 'no approval needed', inline: true },
  ];
  if (d.finishedAt) fields.push({ name: 'Duration', value: formatDuration(Date.parse(d.finishedAt) - Date.parse(d.createdAt)), inline: true });
  const previous = imageVersion(d.state.fromImage);
  if (previous && previous !== version) fields.push({ name: previousLabel(d, outcome), value: previous, inline: true });
  if (d.reason) fields.push({ name: 'Reason', value: clip(d.reason, 1024), inline: false });
  const links = extras.links ?? [];
  if (links.length) fields.push({ name: 'Links', value: clip(links.map((l) => `[${l.label.replace(/[[\]]/g, '')}](${l.url})`).join(' · '), 1024), inline: false });

  const summary = d.summary ?? '';
  const notes = extras.releaseNotes?.trim();
  const head = summary ? `${summary}\n\n` : '';
  const description = notes ? `${head}**Release notes**\n${clip(notes, 4000 - head.length)}` : summary;

  const embed = new EmbedBuilder()
    .setTitle(clip(titleOf(d, outcome, version), 256))
    .setColor(COLOR[outcome])
    .addFields(fields.map((f) => ({ ...f, value: clip(f.value, 1024) })))
    .setFooter({ text: `Deckhand · deploy #${d.id}` })
    .setTimestamp(new Date(d.finishedAt ?? d.updatedAt));
  if (description) embed.setDescription(clip(description, 4096));
  const first = links[0];
  if (first) embed.setURL(first.url);
  return embed.toJSON();
}
