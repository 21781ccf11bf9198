/** `2025-11-28 18:00 UTC`: a moment as a person on call reads it, not as an ISO string. */
export function formatUtc(iso: string): string {
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? iso : `${t.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
