import { DeckhandError } from '../../errors.ts';
import { isMap, isScalar, isSeq, parse, parseAllDocuments, parseDocument, type Document, type Scalar, type YAMLMap } from 'yaml';

/**
 * Where the image tag lives in a config-repository file (`delivery.format`):
 * - `kustomize`: the `images:` entry whose `name` is `image`; its `newTag` (and `digest` when pinned);
 * - `helm`: the values key at the dotted `key`; the tag, with `@sha256:…` appended when pinned;
 * - `manifest`: the `image` of container `container` in the workload named `workload` (any kind with a pod template).
 */
export type TagLocation =
  | { format: 'kustomize'; image: string }
  | { format: 'helm'; key: string }
  | { format: 'manifest'; workload: string; container: string };

/** A version as the file carries it: the tag, and the digest that pins it when there is one. */
export interface ImageTag {
  tag: string;
  digest?: string;
}

export type TagRead = { kind: 'found'; current: ImageTag } | { kind: 'missing'; message: string };
export type TagEdit = { kind: 'edited'; text: string; before: ImageTag; changed: boolean } | { kind: 'missing'; message: string };

/** `v1.5.0` or `v1.5.0@sha256:…`, for people. */
export function formatImageTag(t: ImageTag): string {
  return t.digest ? `${t.tag}@${t.digest}` : t.tag;
}

export function sameImageTag(a: ImageTag, b: ImageTag): boolean {
  return a.tag === b.tag && (a.digest ?? '') === (b.digest ?? '');
}

/** Splits `tag@sha256:…` (helm values) into its parts. */
function splitTag(value: string): ImageTag {
  const at = value.indexOf('@');
  return at >= 0 ? { tag: value.slice(0, at), digest: value.slice(at + 1) } : { tag: value };
}

/** Splits `registry/repo:tag@sha256:…` (a container image) into the repository and its tag. */
function splitImage(image: string): { repository: string; tag: ImageTag } {
  const at = image.indexOf('@');
  const ref = at >= 0 ? image.slice(0, at) : image;
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const colon = ref.lastIndexOf(':');
  const hasTag = colon > ref.lastIndexOf('/');
  return { repository: hasTag ? ref.slice(0, colon) : ref, tag: { tag: hasTag ? ref.slice(colon + 1) : '', ...(digest && { digest }) } };
}

/** One replacement in the original text; applied back to front so earlier offsets stay right. */
interface Splice { from: number; to: number; text: string }

function applySplices(text: string, splices: Splice[]): string {
  let out = text;
  for (const s of [...splices].sort((a, b) => b.from - a.from)) out = out.slice(0, s.from) + s.text + out.slice(s.to);
  return out;
}

/**
 * The source text for a scalar that replaces `node`, in the node's own quoting style, so the diff a reviewer sees
 * is the value alone. A plain value that YAML would read back as something else (`1.10` is a number) is quoted.
 */
function scalarText(node: Scalar, value: string): string {
  if (node.type === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  if (node.type === 'QUOTE_DOUBLE' || node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') return JSON.stringify(value);
  return plainText(value);
}

/** `value` unquoted when YAML reads it back as that same string, else double-quoted. */
function plainText(value: string): string {
  const looksPlain = /^[^\s#'"{}[\],&*!|>%@`]/.test(value) && !/\s#|:\s|\s$/.test(value);
  let readsBack: boolean;
  try {
    readsBack = looksPlain && parse(value) === value;
  } catch {
    readsBack = false;
  }
  return readsBack ? value : JSON.stringify(value);
}

/** The scalar's value as written: a plain `1.10` is the tag `1.10`, not the number 1.1. */
function scalarValue(text: string, node: Scalar): string | undefined {
  if (typeof node.value === 'string') return node.value;
  if (node.value === null || node.value === undefined) return undefined;
  if (node.type === 'PLAIN' && node.range) return text.slice(node.range[0], node.range[1]);
  return String(node.value);
}

function replaceScalar(node: Scalar, value: string): Splice {
  const [from, to] = node.range ?? [0, 0];
  return { from, to, text: scalarText(node, value) };
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** True when only spaces stand between the start of the line and `offset` (a block mapping key on its own line). */
function ownsLine(text: string, offset: number): boolean {
  return /^ *$/.test(text.slice(lineStart(text, offset), offset));
}

function scalarAt(map: YAMLMap, key: string): Scalar | undefined {
  const node: unknown = map.get(key, true);
  return isScalar(node) ? node : undefined;
}

function describeMissing(path: string, detail: string): TagRead & { kind: 'missing' } {
  return { kind: 'missing', message: `${path}: ${detail}` };
}

// ---- kustomize -----------------------------------------------------------------------------------------------------

function kustomizeEntry(doc: Document, image: string): YAMLMap | string {
  const images: unknown = doc.get('images', true);
  if (!isSeq(images)) return 'has no `images:` list (Deckhand sets the tag of an `images:` entry; add one for this image)';
  const names: string[] = [];
  for (const item of images.items) {
    if (!isMap(item)) continue;
    const name = scalarAt(item, 'name');
    const value = name && typeof name.value === 'string' ? name.value : undefined;
    if (value === image) return item;
    if (value) names.push(value);
  }
  return `has no \`images:\` entry named \`${image}\`${names.length ? ` (it has ${names.map((n) => `\`${n}\``).join(', ')})` : ''}; set \`delivery.key\` to the entry's name, or add the entry`;
}

function readKustomize(text: string, image: string): TagRead {
  const doc = parseDocument(text);
  const entry = kustomizeEntry(doc, image);
  if (typeof entry === 'string') return describeMissing('kustomization', entry);
  const tag = scalarAt(entry, 'newTag');
  const digest = scalarAt(entry, 'digest');
  const digestValue = digest ? scalarValue(text, digest) : undefined;
  return { kind: 'found', current: { tag: (tag && scalarValue(text, tag)) ?? '', ...(digestValue && { digest: digestValue }) } };
}

function editKustomize(text: string, image: string, to: ImageTag): TagEdit {
  const doc = parseDocument(text);
  const entry = kustomizeEntry(doc, image);
  if (typeof entry === 'string') return describeMissing('kustomization', entry);
  const before = readKustomize(text, image);
  if (before.kind === 'missing') return before;
  const tagNode = scalarAt(entry, 'newTag');
  const digestNode = scalarAt(entry, 'digest');
  const nameNode = scalarAt(entry, 'name');
  const splices: Splice[] = [];
  // Splicing keeps every other byte; an entry written as a flow map `{name: …}` (or keys not on their own lines)
  // goes through the Document API instead, which keeps comments but may re-space that entry.
  let spliceable = !entry.flow && nameNode?.range !== undefined;
  const keyOf = (value: Scalar): Scalar | undefined => {
    const pair = entry.items.find((p) => p.value === value);
    return isScalar(pair?.key) ? pair.key : undefined;
  };
  const insertAfter = (anchor: Scalar, line: string): void => {
    const key = keyOf(anchor);
    if (!key?.range || !anchor.range) { spliceable = false; return; }
    const indent = ' '.repeat(key.range[0] - lineStart(text, key.range[0]));
    splices.push({ from: anchor.range[1], to: anchor.range[1], text: `\n${indent}${line}` });
  };
  if (tagNode) splices.push(replaceScalar(tagNode, to.tag));
  else if (nameNode) insertAfter(nameNode, `newTag: ${plainText(to.tag)}`);
  if (to.digest && digestNode) splices.push(replaceScalar(digestNode, to.digest));
  else if (to.digest) {
    const anchor = tagNode ?? nameNode;
    if (anchor) insertAfter(anchor, `digest: ${to.digest}`);
    else spliceable = false;
  }
  else if (digestNode) {
    // An old digest would pin the old image whatever the tag says: it goes.
    const key = keyOf(digestNode);
    if (key?.range && digestNode.range && ownsLine(text, key.range[0])) {
      const from = lineStart(text, key.range[0]);
      const end = text.indexOf('\n', digestNode.range[1]);
      splices.push({ from, to: end < 0 ? text.length : end + 1, text: '' });
    } else {
      spliceable = false;
    }
  }
  const changed = !sameImageTag(before.current, to);
  if (!changed) return { kind: 'edited', text, before: before.current, changed };
  if (spliceable) return { kind: 'edited', text: applySplices(text, splices), before: before.current, changed };
  entry.set('newTag', to.tag);
  if (to.digest) entry.set('digest', to.digest);
  else entry.delete('digest');
  return { kind: 'edited', text: doc.toString({ lineWidth: 0 }), before: before.current, changed };
}

// ---- helm ----------------------------------------------------------------------------------------------------------

function helmNode(text: string, key: string): Scalar | string {
  const doc = parseDocument(text);
  const path = key.split('.');
  const node: unknown = doc.getIn(path, true);
  if (isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number')) return node;
  if (node === undefined) {
    // Name the deepest part that is there, so the fix is obvious.
    let found = 0;
    while (found < path.length - 1 && isMap(doc.getIn(path.slice(0, found + 1), true))) found++;
    return `has no value at \`${key}\`${found ? ` (\`${path.slice(0, found).join('.')}\` is there, \`${path[found]}\` is not)` : ''}; set \`delivery.key\` to the key that holds the tag`;
  }
  return `\`${key}\` is not a tag (it is ${isMap(node) ? 'a mapping' : isSeq(node) ? 'a list' : 'not a string'}); set \`delivery.key\` to the key that holds the tag, like \`image.tag\``;
}

function readHelm(text: string, key: string): TagRead {
  const node = helmNode(text, key);
  if (typeof node === 'string') return describeMissing('values', node);
  return { kind: 'found', current: splitTag(scalarValue(text, node) ?? '') };
}

function editHelm(text: string, key: string, to: ImageTag): TagEdit {
  const node = helmNode(text, key);
  if (typeof node === 'string') return describeMissing('values', node);
  const before = splitTag(scalarValue(text, node) ?? '');
  const changed = !sameImageTag(before, to);
  return { kind: 'edited', text: changed ? applySplices(text, [replaceScalar(node, formatImageTag(to))]) : text, before, changed };
}

// ---- manifest ------------------------------------------------------------------------------------------------------

interface ContainerImage { node: Scalar; image: string }

function manifestImage(text: string, workload: string, container: string): ContainerImage | string {
  const candidates: { name: string; kind: string; image?: ContainerImage }[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (!('contents' in doc) || !isMap(doc.contents)) continue;
    const containers: unknown = doc.getIn(['spec', 'template', 'spec', 'containers'], true);
    if (!isSeq(containers)) continue;
    const name = String(doc.getIn(['metadata', 'name']) ?? '');
    const kind = String(doc.get('kind') ?? 'workload');
    let image: ContainerImage | undefined;
    for (const c of containers.items) {
      if (!isMap(c) || scalarAt(c, 'name')?.value !== container) continue;
      const node = scalarAt(c, 'image');
      if (node && typeof node.value === 'string') image = { node, image: node.value };
    }
    candidates.push({ name, kind, image });
  }
  if (!candidates.length) return 'has no workload with a pod template (a Deployment, a Rollout …)';
  const named = candidates.find((c) => c.name === workload);
  const withContainer = candidates.filter((c) => c.image);
  const picked = named ?? (withContainer.length === 1 ? withContainer[0] : undefined);
  if (!picked) return `has no workload named \`${workload}\` (it has ${candidates.map((c) => `${c.kind} \`${c.name}\``).join(', ')})`;
  if (!picked.image) return `${picked.kind} \`${picked.name}\` has no container named \`${container}\` with an image; check the environment's \`container\``;
  return picked.image;
}

function readManifest(text: string, workload: string, container: string): TagRead {
  const found = manifestImage(text, workload, container);
  if (typeof found === 'string') return describeMissing('manifest', found);
  return { kind: 'found', current: splitImage(found.image).tag };
}

function editManifest(text: string, workload: string, container: string, to: ImageTag): TagEdit {
  const found = manifestImage(text, workload, container);
  if (typeof found === 'string') return describeMissing('manifest', found);
  // The repository stays as the file writes it (a mirror, a pull-through cache): only the version is Deckhand's.
  const { repository, tag: before } = splitImage(found.image);
  const changed = !sameImageTag(before, to);
  const image = `${repository}:${formatImageTag(to)}`;
  return { kind: 'edited', text: changed ? applySplices(text, [replaceScalar(found.node, image)]) : text, before, changed };
}

// ---- the door ------------------------------------------------------------------------------------------------------

/** Reads the tag the file sets now; `missing` says in a person's words what is not there. */
export function readImageTag(text: string, at: TagLocation): TagRead {
  switch (at.format) {
    case 'kustomize': return readKustomize(text, at.image);
    case 'helm': return readHelm(text, at.key);
    case 'manifest': return readManifest(text, at.workload, at.container);
    default: {
      const never: never = at;
      throw new DeckhandError('internal_error', `unknown gitops format ${JSON.stringify(never)}`);
    }
  }
}

/**
 * Sets the tag (and digest) in the file, changing only the bytes of that value wherever the layout allows it, so
 * the commit's diff is the one line a reviewer expects. Refuses (`missing`) when the entry, key or container is not
 * there: Deckhand never invents the place Argo CD reads the image from.
 */
export function setImageTag(text: string, at: TagLocation, to: ImageTag): TagEdit {
  switch (at.format) {
    case 'kustomize': return editKustomize(text, at.image, to);
    case 'helm': return editHelm(text, at.key, to);
    case 'manifest': return editManifest(text, at.workload, at.container, to);
    default: {
      const never: never = at;
      throw new DeckhandError('internal_error', `unknown gitops format ${JSON.stringify(never)}`);
    }
  }
}
