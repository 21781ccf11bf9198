import { badRequest } from './api-error.ts';
import type { LabelSelector } from './kube-types.ts';

/** A parsed selector requirement; a selector matches when all of its requirements do. */
export interface Requirement {
  key: string;
  operator: 'in' | 'notin' | 'exists' | '!' | '=' | '!=';
  values: string[];
}

export type LabelMatcher = (labels: Record<string, string> | undefined) => boolean;

/**
 * Parses the `labelSelector` query syntax: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`.
 * Throws 400 BadRequest on syntax it does not understand, as the API server does.
 */
export function parseLabelSelector(text: string | undefined | null): LabelMatcher {
  const requirements = text ? splitTopLevel(text).map(parseRequirement) : [];
  return (labels) => requirements.every((r) => matchRequirement(r, labels ?? {}));
}

/** The structured `spec.selector` form (matchLabels + matchExpressions) as a matcher. */
export function labelSelectorMatcher(selector: LabelSelector | undefined): LabelMatcher {
  const requirements: Requirement[] = [];
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {})) requirements.push({ key, operator: '=', values: [value] });
  for (const expr of selector?.matchExpressions ?? []) {
    const operator = ({ In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' } as const)[expr.operator as 'In'];
    if (operator) requirements.push({ key: expr.key, operator, values: expr.values ?? [] });
  }
  return (labels) => requirements.every((r) => matchRequirement(r, labels ?? {}));
}

/** `spec.selector` rendered back as the query syntax (what `Scale.status.selector` and kubectl show). */
export function formatLabelSelector(selector: LabelSelector | undefined): string {
  const parts = Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const expr of selector?.matchExpressions ?? []) {
    if (expr.operator === 'Exists') parts.push(expr.key);
    else if (expr.operator === 'DoesNotExist') parts.push(`!${expr.key}`);
    else parts.push(`${expr.key} ${expr.operator.toLowerCase()} (${(expr.values ?? []).join(',')})`);
  }
  return parts.join(',');
}

function matchRequirement(r: Requirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = labels[r.key];
  switch (r.operator) {
    case '=':
    case 'in':
      return has && r.values.includes(value ?? '');
    case '!=':
    case 'notin':
      return !has || !r.values.includes(value ?? '');
    case 'exists':
      return has;
    case '!':
      return !has;
    default: {
      const never: never = r.operator;
      return never;
    }
  }
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

function parseRequirement(part: string): Requirement {
  const setMatch = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part);
  if (setMatch) {
    const values = (setMatch[3] ?? '').split(',').map((v) => v.trim()).filter((v) => v !== '');
    return { key: setMatch[1] ?? '', operator: setMatch[2] as 'in' | 'notin', values };
  }
  const eqMatch = /^([^\s!=]+)\s*(==|=|!=)\s*([^\s!=]*)$/.exec(part);
  if (eqMatch) {
    return { key: eqMatch[1] ?? '', operator: eqMatch[2] === '!=' ? '!=' : '=', values: [eqMatch[3] ?? ''] };
  }
  if (/^![^\s!=]+$/.test(part)) return { key: part.slice(1), operator: '!', values: [] };
  if (/^[^\s!=(),]+$/.test(part)) return { key: part, operator: 'exists', values: [] };
  throw badRequest(`unable to parse requirement: found '${part}', expected: in, notin, =, ==, !=, gt, lt`);
}
