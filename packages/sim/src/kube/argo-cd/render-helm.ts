import { parse } from 'yaml';
import type { KubeObject } from '../kube-types.ts';
import { isPlainObject } from '../kube-types.ts';
import { renderTemplate } from './helm-template.ts';
import { parseManifests } from './parse-manifests.ts';
import { joinRepoPath, type RenderResult, type RepoFiles } from './render-result.ts';

/** `spec.source.helm`, the fields the sim honours. */
export interface HelmOptions {
  releaseName: string;
  namespace: string;
  valueFiles: string[];
  ignoreMissingValueFiles: boolean;
  values?: string;
  valuesObject?: Record<string, unknown>;
  parameters: Array<{ name: string; value: string; forceString: boolean }>;
}

/**
 * `helm template` of a chart directory in the repository: values from the chart's `values.yaml`, then each of
 * `valueFiles` (relative to the chart, as Argo CD resolves them), then `values`/`valuesObject`, then `parameters`
 * (`--set`); templates under `templates/` (not `_*` partials, not NOTES.txt) through renderTemplate.
 */
export function renderHelm(files: RepoFiles, chartDir: string, o: HelmOptions): RenderResult {
  const chartPath = `${chartDir === '' ? '' : `${chartDir}/`}Chart.yaml`;
  const chart = readYaml(files, chartPath);
  if (!chart.ok) return chart;
  if (!isPlainObject(chart.value) || typeof chart.value.name !== 'string') return { ok: false, message: `${chartPath}: chart.metadata.name is required` };
  let values: Record<string, unknown> = {};
  const layers: Array<{ path: string; optional: boolean }> = [
    { path: `${chartDir === '' ? '' : `${chartDir}/`}values.yaml`, optional: true },
    ...o.valueFiles.map((file) => ({ path: joinRepoPath(chartDir, file) ?? file, optional: o.ignoreMissingValueFiles })),
  ];
  for (const layer of layers) {
    if (!files.has(layer.path)) {
      if (layer.optional) continue;
      return { ok: false, message: `Error: open ${layer.path}: no such file or directory` };
    }
    const read = readYaml(files, layer.path);
    if (!read.ok) return read;
    if (isPlainObject(read.value)) values = mergeValues(values, read.value);
  }
  if (o.values !== undefined) {
    try {
      const inline: unknown = parse(o.values);
      if (isPlainObject(inline)) values = mergeValues(values, inline);
    } catch (err) {
      return { ok: false, message: `failed to parse spec.source.helm.values: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` };
    }
  }
  if (o.valuesObject) values = mergeValues(values, o.valuesObject);
  for (const p of o.parameters) setPath(values, p.name, p.forceString ? p.value : setValue(p.value));

  const scope = {
    Values: values,
    Release: { Name: o.releaseName, Namespace: o.namespace, Service: 'Helm', IsInstall: true, IsUpgrade: false, Revision: 1 },
    Chart: { Name: chart.value.name, Version: String(chart.value.version ?? ''), AppVersion: String(chart.value.appVersion ?? '') },
  };
  const templatesDir = `${chartDir === '' ? '' : `${chartDir}/`}templates/`;
  const manifests: KubeObject[] = [];
  const templates = [...files.keys()].filter((p) => p.startsWith(templatesDir) && /\.(ya?ml|json)$/.test(p) && !(p.split('/').at(-1) ?? '').startsWith('_')).sort();
  for (const path of templates) {
    const rendered = renderTemplate(path.slice(chartDir === '' ? 0 : chartDir.length + 1), files.get(path) ?? '', scope);
    if (!rendered.ok) return rendered;
    const parsed = parseManifests(path, rendered.text);
    if (!parsed.ok) return parsed;
    manifests.push(...parsed.objects);
  }
  return { ok: true, sourceType: 'Helm', manifests };
}

function readYaml(files: RepoFiles, path: string): { ok: true; value: unknown } | { ok: false; message: string } {
  const text = files.get(path);
  if (text === undefined) return { ok: false, message: `Error: open ${path}: no such file or directory` };
  try {
    return { ok: true, value: parse(text) };
  } catch (err) {
    return { ok: false, message: `failed to parse ${path}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` };
  }
}

/** Helm's coalescing: maps merge key by key, anything else is replaced by the later layer. */
function mergeValues(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? mergeValues(current, value) : value;
  }
  return out;
}

/** `--set` typing: true/false, null and integers become those types; everything else stays a string. */
function setValue(raw: string): unknown {
  if (raw === 'true' || raw === 'false') return raw === 'true';
  if (raw === 'null') return null;
  if (/^-?(0|[1-9]\d*)$/.test(raw)) return Number(raw);
  return raw;
}

function setPath(values: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let node = values;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (isPlainObject(next)) node = next;
    else {
      const created: Record<string, unknown> = {};
      node[key] = created;
      node = created;
    }
  }
  node[keys.at(-1) ?? dotted] = value;
}
