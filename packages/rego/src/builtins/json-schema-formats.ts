/**
 * gojsonschema's format checkers for strings (format_checkers.go). Unknown formats pass, as there.
 * date-time / date / time follow Go's time.Parse with RFC 3339 layouts, so leap seconds and lower-case `t`/`z`
 * are rejected as Go rejects them.
 */
import { compileGoRegexp } from './go-regexp.ts';

const HOSTNAME = /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
const UUID = /^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$/i;
const JSON_POINTER = /^(?:\/(?:[^~/]|~0|~1)*)*$/;
const RELATIVE_JSON_POINTER = /^(?:0|[1-9][0-9]*)(?:#|(?:\/(?:[^~/]|~0|~1)*)*)$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;
const URI_TEMPLATE = /^([^{]*(\{[^}]*\})?)*$/;
/** RFC 5322 addr-spec (net/mail.ParseAddress, which also takes a display name before <addr>). */
const EMAIL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function validDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysIn(y, mo);
}

/** Go's time.Parse with "15:04:05Z07:00" or, when zoneOptional, also "15:04:05". */
function validTime(s: string, zoneOptional: boolean): boolean {
  const m = TIME.exec(s);
  if (!m) return false;
  const zone = m[5];
  if (zone === undefined && !zoneOptional) return false;
  if (zone !== undefined && zone !== 'Z' && (Number(zone.slice(1, 3)) > 23 || Number(zone.slice(4, 6)) > 59)) return false;
  return Number(m[1]) <= 23 && Number(m[2]) <= 59 && Number(m[3]) <= 59;
}

function validIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255 && !(p.length > 1 && p.startsWith('0')));
}

/** gojsonschema: net.ParseIP succeeds and the text has a '.' (ipv4) or a ':' (ipv6). */
function parsesAsIP(s: string): boolean {
  if (validIPv4(s)) return true;
  if (!s.includes(':') || s.includes('%')) return false;
  try {
    return new URL(`http://[${s}]/`).hostname.length > 0;
  } catch {
    return false;
  }
}

function validURI(s: string, absolute: boolean): boolean {
  if (/[\s\\]/.test(s)) return false;
  if (absolute) return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(s) && URL.canParse(s);
  return URL.canParse(s, 'http://example.invalid/');
}

function validRegex(s: string): boolean {
  try { compileGoRegexp(s); return true; } catch { return false; }
}

export function checkFormat(format: string, s: string): boolean {
  switch (format) {
    case 'date-time': {
      // gojsonschema tries "15:04:05", "15:04:05Z07:00", "2006-01-02", RFC 3339 and RFC 3339 with nanoseconds
      const t = s.indexOf('T');
      if (t < 0) return validDate(s) || validTime(s, true);
      return validDate(s.slice(0, t)) && validTime(s.slice(t + 1), false);
    }
    case 'date': return validDate(s);
    case 'time': return validTime(s, true);
    case 'email': case 'idn-email': {
      const angle = /^[^<>]*<([^<>]+)>$/.exec(s.trim());
      return EMAIL.test(angle ? angle[1]! : s.trim());
    }
    case 'hostname': case 'idn-hostname': return s.length < 254 && HOSTNAME.test(s);
    case 'ipv4': return s.includes('.') && parsesAsIP(s);
    case 'ipv6': return s.includes(':') && parsesAsIP(s);
    case 'uri': case 'iri': return validURI(s, true);
    case 'uri-reference': case 'iri-reference': return validURI(s, false);
    case 'uri-template': return URI_TEMPLATE.test(s) && validURI(s.replace(/\{[^}]*\}/g, 'x'), false);
    case 'uuid': return UUID.test(s);
    case 'regex': return validRegex(s);
    case 'json-pointer': return JSON_POINTER.test(s);
    case 'relative-json-pointer': return RELATIVE_JSON_POINTER.test(s);
    default: return true;
  }
}
