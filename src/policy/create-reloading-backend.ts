import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { RegoCompileError, type CompiledPolicy, type Value } from '@deckhand/rego';
import { isDeckhandError } from '../errors.ts';
import { createEmbeddedBackend } from './embedded-backend.ts';
import { isBundleArchive, readPolicies } from './read-policies.ts';
import type { PolicyBundle } from './read-policy-dir.ts';
import type { PolicyBackend } from './types.ts';

/** What `/readyz`, the log and `deckhand policy …` can say about the policies deciding now. */
export interface PolicyStatus {
  readonly source: string;
  /** The bundle's revision, else a short digest of the files (the same files give the same one). */
  readonly revision: string;
  readonly loadedAt: string;
  /**
   * Set while a newer version of the policies was refused (it does not compile, or the bundle breaks its own rules):
   * the last good version keeps deciding. Cleared when a good version loads.
   */
  readonly stale?: { readonly since: string; readonly revision: string; readonly problems: readonly string[] };
}

export type ReloadOutcome =
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'loaded'; readonly revision: string }
  | { readonly kind: 'refused'; readonly revision: string; readonly problems: readonly string[] };

export interface ReloadLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface ReloadOptions {
  /** Quiet time after the last file event before reading (default 250 ms): an editor or `cp -r` writes in bursts. */
  debounceMs?: number;
  /** Read and compare every so often anyway (default 15 s; 0: never): file events are lost on some filesystems. */
  pollMs?: number;
  /** Watch for changes (default true). Off, only `reload()` reads again. */
  watch?: boolean;
  log?: ReloadLog;
  now?: () => Date;
  /** Told every load that changed something (loaded or refused): where metrics or an audit entry can hook in. */
  onOutcome?: (outcome: Exclude<ReloadOutcome, { kind: 'unchanged' }>, status: PolicyStatus) => void;
}

export interface ReloadingBackend extends PolicyBackend {
  /** The compiled policies deciding now. */
  readonly policy: CompiledPolicy;
  /**
   * The version deciding now, its compiled policies and the data they were compiled with together: a caller that
   * evaluates paths of its own (the Data API server) reads this once per request, so it never pairs one version's
   * policies with another's data.
   */
  current(): { readonly policy: CompiledPolicy; readonly data: Value };
  status(): PolicyStatus;
  /** Reads the source again now; a load already under way is waited for, never run twice at once. */
  reload(): Promise<ReloadOutcome>;
  /** Stops watching and polling. */
  close(): void;
}

interface Loaded {
  readonly backend: PolicyBackend & { policy: CompiledPolicy; data: Value };
  readonly fingerprint: string;
  readonly revision: string;
  readonly loadedAt: string;
}

/**
 * The embedded engine over a folder or an OPA bundle that may change while Deckhand runs: a local edit, or a
 * ConfigMap update (the kubelet swaps the mounted folder's `..data` link, one rename the folder's watcher sees).
 *
 * Contract: a version that does not load or compile never decides — the last good one keeps deciding, the log
 * says why (`file:row: code: message`), and `status().stale` says so until a good version loads. Each decision
 * reads the current version once, when it starts: the swap is one assignment of modules and data compiled together,
 * so a decision in flight finishes on the version it began with and never sees half of a new one.
 *
 * The first load has no last good version to fall back on, so it throws (Deckhand does not start without policies).
 */
export async function createReloadingBackend(source: string, options: ReloadOptions = {}): Promise<ReloadingBackend> {
  const now = options.now ?? (() => new Date());
  const log = options.log;
  const first = await readPolicies(source);
  let current = compile(first, now());
  let stale: PolicyStatus['stale'];
  let refusedFingerprint: string | undefined;
  let running: Promise<ReloadOutcome> | undefined;
  let again = false;

  const loadOnce = async (): Promise<ReloadOutcome> => {
    let bundle: PolicyBundle;
    try {
      bundle = await readPolicies(source);
    } catch (err) {
      const problems = problemsOf(err);
      // Keyed by what is wrong, so a source that stays unreadable is reported once, not at every check.
      return refuse(`unreadable:${problems.join('\n')}`, 'unreadable', problems);
    }
    const fingerprint = fingerprintOf(bundle);
    if (fingerprint === current.fingerprint) {
      // Back to the version deciding now (a bad edit undone): nothing is stale any more.
      if (stale) { stale = undefined; refusedFingerprint = undefined; log?.info({ source, revision: current.revision }, 'policies are back to the version deciding now'); }
      return { kind: 'unchanged' };
    }
    if (fingerprint === refusedFingerprint) return { kind: 'unchanged' };
    let next: Loaded;
    try {
      next = compile(bundle, now(), fingerprint);
    } catch (err) {
      return refuse(fingerprint, revisionOf(bundle, fingerprint), problemsOf(err));
    }
    const before = current.revision;
    current = next;
    stale = undefined;
    refusedFingerprint = undefined;
    if (bundle.signaturesUnverified) log?.warn({ source }, 'the policy bundle carries .signatures.json; the embedded engine does not verify bundle signatures');
    log?.info({ source, revision: next.revision, previous: before }, 'policies reloaded');
    return { kind: 'loaded', revision: next.revision };
  };

  const refuse = (fingerprint: string, revision: string, problems: string[]): ReloadOutcome => {
    refusedFingerprint = fingerprint;
    stale = { since: now().toISOString(), revision, problems };
    log?.warn({ source, refused: revision, deciding: current.revision, problems }, `new policies refused, the last good ones keep deciding: ${problems.join('; ')}`);
    return { kind: 'refused', revision, problems };
  };

  const status = (): PolicyStatus => ({ source, revision: current.revision, loadedAt: current.loadedAt, ...(stale && { stale }) });

  const loadAndTell = async (): Promise<ReloadOutcome> => {
    const outcome = await loadOnce();
    if (outcome.kind !== 'unchanged') options.onOutcome?.(outcome, status());
    return outcome;
  };

  /** One load at a time; a change seen during a load is read once more afterwards, not lost. */
  const reload = (): Promise<ReloadOutcome> => {
    if (running) { again = true; return running; }
    running = (async () => {
      try {
        let outcome = await loadAndTell();
        while (again) { again = false; outcome = await loadAndTell(); }
        return outcome;
      } finally {
        running = undefined;
      }
    })();
    return running;
  };

  const timers: NodeJS.Timeout[] = [];
  let watcher: FSWatcher | undefined;
  let debounce: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    clearTimeout(debounce);
    debounce = setTimeout(() => { void reload(); }, options.debounceMs ?? 250);
    debounce.unref();
  };
  if (options.watch !== false) {
    // A bundle is often replaced by a rename (`mv`, a ConfigMap's `..data` swap), which a watch on the file itself
    // would miss: its folder is watched, and only events about it (or unnamed ones) count.
    const archive = isBundleArchive(source);
    const folder = archive ? dirname(source) : source;
    const name = basename(source);
    try {
      watcher = watch(folder, { persistent: false }, (_event, file) => {
        if (!archive || file === null || file === name || file === '..data') schedule();
      });
      watcher.on('error', (err) => log?.warn({ err, source }, 'watching the policies failed; the periodic check still reloads them'));
    } catch (err) {
      log?.warn({ err, source }, 'cannot watch the policies; the periodic check still reloads them');
    }
    const pollMs = options.pollMs ?? 15_000;
    if (pollMs > 0) {
      const poll = setInterval(() => { void reload(); }, pollMs);
      poll.unref();
      timers.push(poll);
    }
  }
  if (first.signaturesUnverified) log?.warn({ source }, 'the policy bundle carries .signatures.json; the embedded engine does not verify bundle signatures');

  return {
    id: 'embedded',
    get policy() { return current.backend.policy; },
    current() { return current.backend; },
    decide(input, rule) {
      return current.backend.decide(input, rule);
    },
    status,
    reload,
    close() {
      watcher?.close();
      clearTimeout(debounce);
      for (const t of timers) clearInterval(t);
    },
  };
}

function compile(bundle: PolicyBundle, at: Date, fingerprint = fingerprintOf(bundle)): Loaded {
  const backend = createEmbeddedBackend(bundle);
  return { backend, fingerprint, revision: revisionOf(bundle, fingerprint), loadedAt: at.toISOString() };
}

function revisionOf(bundle: PolicyBundle, fingerprint: string): string {
  return bundle.revision ? bundle.revision : `sha256:${fingerprint.slice(0, 12)}`;
}

/** The same modules and data give the same digest, whatever the order the files were listed in. */
function fingerprintOf(bundle: PolicyBundle): string {
  const h = createHash('sha256');
  for (const m of [...bundle.modules].sort((a, b) => a.path.localeCompare(b.path))) h.update(`${m.path}\0${m.source}\0`);
  h.update(JSON.stringify(bundle.data));
  h.update(`\0${bundle.revision ?? ''}`);
  return h.digest('hex');
}

/** Each problem as one line: the engine's `file:row: code: message`, or Deckhand's own sentence. */
function problemsOf(err: unknown): string[] {
  if (err instanceof RegoCompileError) return err.errors.map((e) => e.message);
  if (isDeckhandError(err)) return [err.userMessage];
  return [err instanceof Error ? err.message : String(err)];
}

/** The `/readyz` line for the policies: `ok`, or why the last good version is still deciding. */
export function describePolicyStatus(s: PolicyStatus): string {
  if (!s.stale) return 'ok';
  const first = s.stale.problems[0] ?? 'refused';
  const more = s.stale.problems.length > 1 ? ` (+${s.stale.problems.length - 1} more)` : '';
  return `stale: ${s.stale.revision} refused at ${s.stale.since}: ${first}${more}; deciding with ${s.revision} (loaded ${s.loadedAt})`;
}
