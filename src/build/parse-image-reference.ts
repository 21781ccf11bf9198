/** An image repository split the way registries address it. */
export interface ImageReference {
  /** The registry host (with port), e.g. `ghcr.io`, `localhost:5000`; Docker Hub is `registry-1.docker.io`. */
  host: string;
  /** The repository path inside the registry, e.g. `acme/api` (`library/nginx` for official Docker Hub images). */
  name: string;
}

/**
 * Splits an image repository (no tag) by the Docker reference rules: the first component is a registry host
 * only when it has a dot or a port or is `localhost`; otherwise the image is on Docker Hub.
 */
export function parseImageReference(image: string): ImageReference {
  let withoutTag = image.replace(/@.*$/, '');
  const colon = withoutTag.lastIndexOf(':');
  // A colon after the last slash is a tag; one before it is a registry port.
  if (colon > withoutTag.lastIndexOf('/')) withoutTag = withoutTag.slice(0, colon);
  const slash = withoutTag.indexOf('/');
  const first = slash >= 0 ? withoutTag.slice(0, slash) : '';
  if (slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    return { host: first, name: withoutTag.slice(slash + 1) };
  }
  return { host: 'registry-1.docker.io', name: slash >= 0 ? withoutTag : `library/${withoutTag}` };
}

/** Plain HTTP only for registries on this machine, as Docker treats them; everything else is HTTPS. */
export function registryBaseUrl(host: string): string {
  const hostname = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  const local = hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '::1' || hostname.endsWith('.localhost');
  return `${local ? 'http' : 'https'}://${host}`;
}
