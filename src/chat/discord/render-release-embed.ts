import { EmbedBuilder, type APIEmbed } from 'discord.js';
import type { ReleaseOutcome } from '../../config/schema.ts';
import { chat, ChatText, joinChat, ReleaseNotes, versionOfImage, type Deploy } from '../../deploy/index.ts';
import { renderDiscordEmbedText } from './render-discord-embed.ts';

/** What the rest of Deckhand knows about a release beyond the deploy record (GitHub's part). */
export interface ReleaseExtras {
  /**
   * Commits and PR titles between the previous version and this one, already grouped and trimmed for chat. A
   * string is user text (anyone with a pull request writes its title).
   */
  releaseNotes?: ChatText | string;
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
    case 'awaiting_approval': case 'queued': case 'building': case 'rolling_out': case 'watching': case 'rolling_back': case 'denied': case 'expired':
      return undefined;
    default: {
      const never: never = d.phase;
      return never;
    }
  }
}

const COLOR: Record<ReleaseOutcome, number> = { success: 0x2e7d32, failure: 0xc62828, abort: 0x757575, rollback: 0xef6c00 };

const imageVersion = (v: unknown): string | undefined => (typeof v === 'string' ? versionOfImage(v) : undefined);

/** A link's address if it is a web address (http or https), else undefined: nothing else becomes a link. */
function webAddress(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `[label](url)`: the label is user text; the address, checked, is the link itself, percent-encoded where a
 * character would end the link early (brackets, parentheses) or read as markup to the renderer (`*`, backticks).
 */
function maskedLink(label: string, url: string): ChatText {
  const href = webAddress(url);
  if (!href) return chat`${label}`;
  const target = href.replace(/[()[\]<>*`\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return new ChatText([{ markup: '[' }, { user: label }, { markup: `](${target})` }]);
}

/** `1h 2m`, `3m 4s`, `12s`: how long from the request to the end, approval wait included. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

/** Whether the deploy went back to an older version, as its release notes (GitHub's compare) found. */
function wentBack(d: Deploy): boolean {
  const notes = ReleaseNotes.safeParse(d.state.releaseNotes);
  return notes.success && notes.data.goesBack === true;
}

function titleOf(d: Deploy, outcome: ReleaseOutcome, version: string): ChatText {
  const previous = imageVersion(d.state.fromImage);
  if (outcome === 'success' && d.action.kind === 'deploy' && wentBack(d)) {
    return chat`⏪ ${d.service} went back to ${version} in ${d.env}${previous ? chat` (from the newer ${previous})` : ''}`;
  }
  if (d.action.kind === 'rollback') {
    if (outcome === 'rollback') return chat`↩️ ${d.service} rolled back to ${version} in ${d.env}`;
    return outcome === 'abort' ? chat`🛑 Rollback of ${d.service} in ${d.env} aborted` : chat`❌ Rollback of ${d.service} in ${d.env} failed`;
  }
  switch (outcome) {
    case 'success': return chat`✅ ${d.service} ${version} released to ${d.env}`;
    case 'failure': return chat`❌ ${d.service} ${version} failed in ${d.env}`;
    case 'abort': return chat`🛑 ${d.service} ${version} aborted in ${d.env}`;
    case 'rollback': return chat`↩️ ${d.service} ${version} rolled back in ${d.env}`;
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
 * where to look (links). Pure; every embed limit holds (256 title, 4096 description, 1024 per field, 6000 in all),
 * and every name, reason, version, summary and note is escaped as user text.
 */
export function renderReleaseEmbed(d: Deploy, outcome: ReleaseOutcome, extras: ReleaseExtras = {}): APIEmbed {
  const version = d.action.kind === 'deploy' ? d.action.version : d.action.toVersion ?? imageVersion(d.state.toImage) ?? 'the previous version';
  const approvers = d.approvals.filter((a) => a.vote === 'approve').map((a) => a.actor.name);
  const fields: { name: string; value: ChatText; inline: boolean }[] = [
    { name: 'Service', value: chat`${d.service}`, inline: true },
    { name: 'Version', value: chat`${version}`, inline: true },
    { name: 'Environment', value: chat`${d.env}`, inline: true },
    { name: 'Requested by', value: chat`${d.requestedBy.name}`, inline: true },
    // A deploy that ended otherwise may have been stopped while it still waited for one.
    { name: 'Approved by', value: approvers.length ? joinChat(approvers, ', ') : d.phase === 'succeeded' ? chat`no approval needed` : chat`nobody`, inline: true },
  ];
  if (d.finishedAt) fields.push({ name: 'Duration', value: chat`${formatDuration(Date.parse(d.finishedAt) - Date.parse(d.createdAt))}`, inline: true });
  const previous = imageVersion(d.state.fromImage);
  if (previous && previous !== version) fields.push({ name: previousLabel(d, outcome), value: chat`${previous}`, inline: true });
  if (d.reason) fields.push({ name: 'Reason', value: chat`${d.reason}`, inline: false });
  const links = extras.links ?? [];
  if (links.length) fields.push({ name: 'Links', value: joinChat(links.map((l) => maskedLink(l.label, l.url)), ' · '), inline: false });

  const notes = typeof extras.releaseNotes === 'string' ? extras.releaseNotes.trim() : extras.releaseNotes;
  // Only a success released anything: otherwise the notes are what the version would have brought.
  const notesHeading = outcome !== 'success' ? chat`*Not released*` : wentBack(d) ? chat`*Taken out*` : chat`*Release notes*`;
  const parts = [
    ...(d.summary ? [chat`${d.summary}`] : []),
    ...(notes && notes.toString().trim() ? [chat`${notesHeading}\n${notes}`] : []),
  ];
  const text = renderDiscordEmbedText({
    title: titleOf(d, outcome, version),
    ...(parts.length && { description: joinChat(parts, '\n\n') }),
    fields,
    footer: `Deckhand · deploy #${d.id}`,
  });

  const embed = new EmbedBuilder()
    .setTitle(text.title)
    .setColor(COLOR[outcome])
    .addFields(text.fields)
    .setFooter(text.footer)
    .setTimestamp(new Date(d.finishedAt ?? d.updatedAt));
  if (text.description) embed.setDescription(text.description);
  const first = links.map((l) => webAddress(l.url)).find((u) => u !== undefined);
  if (first) embed.setURL(first);
  return embed.toJSON();
}
