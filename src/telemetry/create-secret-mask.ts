/** Secrets shorter than this are not masked in free text: masking two letters would garble every line. */
export const MIN_MASKED_LENGTH = 6;
const CENSOR = '[REDACTED]';

/**
 * A function that replaces every configured secret value in a text by `[REDACTED]`, in the forms it takes on the
 * way out: as is, escaped inside a JSON string (a log line) and percent-encoded (a URL such as REDIS_URL).
 */
export function createSecretMask(secrets: readonly string[]): (text: string) => string {
  const forms = new Set<string>();
  for (const s of secrets) {
    if (s.length < MIN_MASKED_LENGTH) continue;
    forms.add(s);
    forms.add(JSON.stringify(s).slice(1, -1));
    forms.add(encodeURIComponent(s));
  }
  // Longest first, so a secret that contains another is masked whole.
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  if (!ordered.length) return (text) => text;
  return (text) => {
    let out = text;
    for (const f of ordered) if (out.includes(f)) out = out.split(f).join(CENSOR);
    return out;
  };
}
