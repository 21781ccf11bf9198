/**
 * The one coded error type. `code` is what code branches on; `userMessage` is what a person may read
 * (never a secret, never a stack); `cause` is kept for the record only.
 */
export type ErrorCode =
  | 'config_invalid'
  | 'config_not_found'
  | 'parse_unknown_command'
  | 'parse_invalid_argument'
  | 'parse_missing_argument'
  | 'deploy_not_found'
  | 'deploy_locked'
  | 'deploy_invalid_state'
  | 'policy_denied'
  | 'policy_backend_unavailable'
  | 'policy_error'
  | 'kube_api_error'
  | 'kube_not_found'
  | 'kube_conflict'
  | 'rollout_progress_deadline'
  | 'rollout_failed'
  | 'rollback_no_revision'
  | 'store_unavailable'
  | 'redis_not_installed'
  | 'monitoring_not_started'
  | 'discord_api_error'
  | 'sim_error'
  | 'github_api_error'
  | 'github_not_found'
  | 'github_rate_limited'
  | 'github_webhook_invalid'
  | 'gitlab_api_error'
  | 'gitlab_not_found'
  | 'gitlab_rate_limited'
  | 'version_not_found'
  | 'registry_error'
  | 'build_failed'
  | 'build_timeout'
  | 'internal_error';

export class DeckhandError extends Error {
  readonly code: ErrorCode;
  readonly userMessage: string;
  /**
   * For "try later" answers (`github_rate_limited`): how long the remote asked us to wait. A step turns it into a
   * delayed job instead of retrying at once.
   */
  readonly retryAfterMs?: number;

  constructor(code: ErrorCode, userMessage: string, options?: { cause?: unknown; retryAfterMs?: number }) {
    super(`${code}: ${userMessage}`, options);
    this.name = 'DeckhandError';
    this.code = code;
    this.userMessage = userMessage;
    if (options?.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}

/** Wraps anything thrown across a boundary so callers only ever see a DeckhandError. */
export function toDeckhandError(err: unknown, code: ErrorCode = 'internal_error', userMessage = 'Something went wrong inside Deckhand.'): DeckhandError {
  if (err instanceof DeckhandError) return err;
  return new DeckhandError(code, userMessage, { cause: err });
}

export function isDeckhandError(err: unknown, code?: ErrorCode): err is DeckhandError {
  return err instanceof DeckhandError && (code === undefined || err.code === code);
}
