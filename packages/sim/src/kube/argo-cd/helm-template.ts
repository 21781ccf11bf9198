import { isPlainObject } from '../kube-types.ts';

/** What a chart's templates can reach: `.Values`, `.Release`, `.Chart`. */
export type TemplateScope = Record<string, unknown>;

export type TemplateResult = { ok: true; text: string } | { ok: false; message: string };

/**
 * The slice of Go templates a values-driven Deployment needs: `{{ .Values.a.b }}`, `.Release.*`, `.Chart.*`,
 * string and number literals, pipelines through `quote`, `default`, `upper`, `lower`, `toString`, and `{{-`/`-}}`
 * whitespace trimming. Control structures (`if`, `range`, `include` …) are refused with an error naming them: a
 * chart the sim cannot render must fail its sync visibly, not deploy something else.
 */
export function renderTemplate(fileName: string, source: string, scope: TemplateScope): TemplateResult {
  let out = '';
  let rest = source;
  while (rest.length > 0) {
    const open = rest.indexOf('{{');
    if (open < 0) {
      out += rest;
      break;
    }
    let text = rest.slice(0, open);
    const trimLeft = rest.startsWith('{{-', open) && /\s/.test(rest[open + 3] ?? '');
    const close = rest.indexOf('}}', open);
    if (close < 0) return { ok: false, message: `template: ${fileName}: unclosed action` };
    const trimRight = rest[close - 1] === '-' && /\s/.test(rest[close - 2] ?? '');
    const action = rest.slice(open + (trimLeft ? 3 : 2), trimRight ? close - 1 : close).trim();
    if (trimLeft) text = text.replace(/\s+$/, '');
    out += text;
    rest = rest.slice(close + 2);
    if (trimRight) rest = rest.replace(/^\s+/, '');
    if (action.startsWith('/*')) continue;
    const value = evaluatePipeline(action, scope);
    if (!value.ok) return { ok: false, message: `template: ${fileName}: ${value.message}` };
    out += format(value.value);
  }
  return { ok: true, text: out };
}

type Evaluated = { ok: true; value: unknown } | { ok: false; message: string };

const CONTROL = /^(if|else|end|range|with|define|template|include|block|tpl)\b/;

function evaluatePipeline(action: string, scope: TemplateScope): Evaluated {
  const control = CONTROL.exec(action);
  if (control) return { ok: false, message: `"${control[1]}" is not simulated (the sim's Helm renders values only)` };
  let value: unknown;
  let first = true;
  for (const stage of action.split('|').map((s) => s.trim())) {
    const words = tokenize(stage);
    if (words.length === 0) return { ok: false, message: `empty command in "${action}"` };
    const [head = '', ...args] = words;
    if (first && (head.startsWith('.') || head.startsWith('"') || /^-?\d/.test(head))) {
      if (args.length > 0) return { ok: false, message: `unexpected ${args[0]} in "${action}"` };
      value = literalOrField(head, scope);
    } else {
      const evaluatedArgs = args.map((a) => literalOrField(a, scope));
      const applied = applyFunction(head, first ? evaluatedArgs : [...evaluatedArgs, value]);
      if (!applied.ok) return applied;
      value = applied.value;
    }
    first = false;
  }
  return { ok: true, value };
}

function applyFunction(name: string, args: unknown[]): Evaluated {
  const last = args.at(-1);
  switch (name) {
    case 'quote': return { ok: true, value: JSON.stringify(format(last)) };
    case 'squote': return { ok: true, value: `'${format(last)}'` };
    case 'default': return { ok: true, value: last === undefined || last === null || last === '' ? args[0] : last };
    case 'upper': return { ok: true, value: format(last).toUpperCase() };
    case 'lower': return { ok: true, value: format(last).toLowerCase() };
    case 'toString': return { ok: true, value: format(last) };
    default: return { ok: false, message: `function "${name}" not defined` };
  }
}

function tokenize(stage: string): string[] {
  return [...stage.matchAll(/"(?:[^"\\]|\\.)*"|\S+/g)].map((m) => m[0]);
}

function literalOrField(word: string, scope: TemplateScope): unknown {
  if (word.startsWith('"')) return JSON.parse(word);
  if (/^-?\d+(\.\d+)?$/.test(word)) return Number(word);
  let value: unknown = scope;
  for (const key of word.split('.').filter(Boolean)) value = isPlainObject(value) ? value[key] : undefined;
  return value;
}

/** How Go prints a value into the text; a missing value prints nothing (Helm's `<no value>` clean-up). */
function format(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
