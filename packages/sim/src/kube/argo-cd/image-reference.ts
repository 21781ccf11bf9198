/** An image reference split as kustomize's image transformer reads it: `name[:tag][@digest]`. */
export interface ImageReference {
  name: string;
  tag?: string;
  digest?: string;
}

export function parseImageReference(image: string): ImageReference {
  const [withoutDigest = '', digest] = image.split('@');
  // A tag follows the last colon after the last slash (a colon before it belongs to a registry port).
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const hasTag = colon > slash;
  return {
    name: hasTag ? withoutDigest.slice(0, colon) : withoutDigest,
    ...(hasTag && { tag: withoutDigest.slice(colon + 1) }),
    ...(digest !== undefined && { digest }),
  };
}

export function formatImageReference(ref: ImageReference): string {
  return `${ref.name}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}
