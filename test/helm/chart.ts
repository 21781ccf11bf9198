import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';

/**
 * Reads helm/deckhand for the chart tests. `helm` cannot be installed on the machines these tests run on, so the
 * templates are never rendered; the checks work on the values, the schema and the template sources.
 */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CHART = join(ROOT, 'helm', 'deckhand');

export function readChartFile(path: string): string {
  return readFileSync(join(CHART, path), 'utf8');
}

export function readValues(): Record<string, unknown> {
  return parse(readChartFile('values.yaml')) as Record<string, unknown>;
}

/** Every file under templates/, by name. */
export function readTemplates(): Map<string, string> {
  const dir = join(CHART, 'templates');
  return new Map(readdirSync(dir).sort().map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
}

/** The manifests: templates/*.yaml (not _helpers.tpl or NOTES.txt). */
export function readManifestTemplates(): Map<string, string> {
  return new Map([...readTemplates()].filter(([name]) => name.endsWith('.yaml')));
}

export const PLACEHOLDER = 'TEMPLATED';

/**
 * The template with its Go-template actions taken out, so the YAML around them can be parsed:
 * comments go; a line holding nothing but actions (`{{- if … }}`, `{{- end }}`, `{{- toYaml … | nindent 4 }}`)
 * goes; any other action becomes the word TEMPLATED. Both branches of an `if … else` stay, and whatever an
 * `include` or `toYaml` would add is missing. So this shows that the static YAML is well formed, not that the
 * rendered output is; only `helm template` could show that.
 */
export function stripTemplate(text: string): string {
  const withoutComments = text.replace(/\{\{-?\s*\/\*[\s\S]*?\*\/\s*-?\}\}/g, '');
  return withoutComments
    .split('\n')
    .filter((line) => line.replace(/\{\{[\s\S]*?\}\}/g, '').trim() !== '' || !line.includes('{{'))
    .map((line) => line.replace(/\{\{[\s\S]*?\}\}/g, PLACEHOLDER))
    .join('\n');
}

export interface Manifest {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: unknown; labels?: unknown; namespace?: unknown };
  spec?: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * The documents of one stripped template. Duplicate keys are allowed because both branches of an `if` remain.
 * Throws on a YAML error, naming the template.
 */
export function parseStripped(name: string, text: string): Manifest[] {
  const docs = parseAllDocuments(stripTemplate(text), { uniqueKeys: false });
  const out: Manifest[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) throw new Error(`${name}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value = doc.toJS() as Manifest | null;
    if (value !== null) out.push(value);
  }
  return out;
}

/** Every manifest of the chart, each with the template it came from. */
export function readManifests(): { template: string; manifest: Manifest }[] {
  return [...readManifestTemplates()].flatMap(([template, text]) => parseStripped(template, text).map((manifest) => ({ template, manifest })));
}
