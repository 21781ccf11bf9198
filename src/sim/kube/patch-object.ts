import { unsupportedMediaType } from './api-error.ts';
import { applyJsonPatch } from './json-patch.ts';
import { applyMergePatch } from './merge-patch.ts';
import { applyStrategicMergePatch } from './strategic-merge-patch.ts';

export const PATCH_CONTENT_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'] as const;

/**
 * Applies a PATCH body to an object by its Content-Type. Server-side apply (`application/apply-patch+yaml`) is
 * not served: it answers 415 like a server without the feature, and clients fall back or report it.
 */
export function patchObject(original: unknown, patch: unknown, contentType: string | undefined): unknown {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  switch (mediaType) {
    case 'application/json-patch+json':
      return applyJsonPatch(original, patch);
    case 'application/merge-patch+json':
      return applyMergePatch(original, patch);
    case 'application/strategic-merge-patch+json':
      return applyStrategicMergePatch(original, patch);
    default:
      throw unsupportedMediaType(mediaType);
  }
}
