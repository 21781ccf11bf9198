import type { KubeObject } from '../kube-types.ts';
import { isPlainObject } from '../kube-types.ts';

/** Every container list (containers and initContainers) in a workload's pod spec, wherever the kind keeps it. */
export function containerListsOf(obj: KubeObject): Array<Array<Record<string, unknown>>> {
  const podSpec = podSpecOf(obj);
  if (!podSpec) return [];
  return ['containers', 'initContainers'].flatMap((key) => {
    const list = podSpec[key];
    return Array.isArray(list) ? [list.filter(isPlainObject)] : [];
  });
}

function podSpecOf(obj: KubeObject): Record<string, unknown> | undefined {
  const spec = isPlainObject(obj.spec) ? obj.spec : undefined;
  if (!spec) return undefined;
  if (obj.kind === 'Pod') return spec;
  if (obj.kind === 'CronJob') {
    const jobTemplate = isPlainObject(spec.jobTemplate) ? spec.jobTemplate : undefined;
    const jobSpec = jobTemplate && isPlainObject(jobTemplate.spec) ? jobTemplate.spec : undefined;
    const template = jobSpec && isPlainObject(jobSpec.template) ? jobSpec.template : undefined;
    return template && isPlainObject(template.spec) ? template.spec : undefined;
  }
  const template = isPlainObject(spec.template) ? spec.template : undefined;
  return template && isPlainObject(template.spec) ? template.spec : undefined;
}

/** The images a set of objects runs, sorted and unique (`status.summary.images`). */
export function imagesOf(objects: KubeObject[]): string[] {
  const images = new Set<string>();
  for (const obj of objects) for (const list of containerListsOf(obj)) for (const c of list) if (typeof c.image === 'string') images.add(c.image);
  return [...images].sort();
}
