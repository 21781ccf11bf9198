/**
 * A GitLab pipeline or job status in the build station's terms (GitHub's): `queued` → `in_progress` → `completed`
 * with a conclusion. A pipeline waiting on a manual job stays `queued` until someone plays it (or it times out).
 */
export function buildStatusOf(status: string): { status: 'queued' | 'in_progress' | 'completed'; conclusion: string | null } {
  switch (status) {
    case 'success': return { status: 'completed', conclusion: 'success' };
    case 'failed': return { status: 'completed', conclusion: 'failure' };
    case 'canceled': case 'canceling': return { status: 'completed', conclusion: 'cancelled' };
    case 'skipped': return { status: 'completed', conclusion: 'skipped' };
    case 'running': return { status: 'in_progress', conclusion: null };
    default: return { status: 'queued', conclusion: null };
  }
}
