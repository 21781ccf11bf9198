import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * True when the Authorization header carries exactly `Bearer <token>`. Both sides are hashed first so the
 * comparison is constant-time whatever their lengths: timingSafeEqual alone would leak the length by throwing.
 */
export function checkBearerToken(header: string | undefined, token: string): boolean {
  if (!header || token.length === 0) return false;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) return false;
  const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(match[1]), digest(token));
}
