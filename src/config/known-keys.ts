import type { z } from 'zod';

type Def = { type: string; shape?: Record<string, z.ZodType>; valueType?: z.ZodType; innerType?: z.ZodType; in?: z.ZodType };

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** Looks through wrappers (optional, default, transforms) to the schema that gives the shape. */
function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let current = schema;
  for (let i = 0; i < 16 && current; i += 1) {
    const def = defOf(current);
    const next = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
    if (!next) return current;
    current = next;
  }
  return current;
}

/**
 * The keys the schema allows for the object at `path`, so an unknown key can be answered with the key that
 * was probably meant. Empty when the path does not lead to an object.
 */
export function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current = unwrap(schema);
  for (const segment of path) {
    if (!current) return [];
    const def = defOf(current);
    if (def.type === 'object' && def.shape) current = unwrap(def.shape[String(segment)]);
    else if (def.type === 'record') current = unwrap(def.valueType);
    else if (def.type === 'array') current = unwrap((def as { element?: z.ZodType }).element);
    else return [];
  }
  const def = current ? defOf(current) : undefined;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

/**
 * Keys people write for something the schema spells another way, with what to write instead: no edit distance
 * leads from them to the right key. Each applies in the mapping that has the key `beside` (a service, its build).
 */
export const KEY_HINTS: Readonly<Record<string, { beside: string; hint: string }>> = {
  gitlab: { beside: 'repository', hint: 'a service on GitLab names its project as `repository: gitlab:group/name`' },
  project: { beside: 'repository', hint: 'a service on GitLab names its project as `repository: gitlab:group/name`' },
  pipeline: { beside: 'workflow', hint: 'a service on GitLab is built by a pipeline for the tag: `build: {}`, or `build: { variables: {…} }`' },
};
