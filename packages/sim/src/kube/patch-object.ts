import { unsupportedMediaType } from './api-error.ts';
import { applyJsonPatch } from './json-patch.ts';
import { applyMergePatch } from './merge-patch.ts';
import { applyStrategicMergePatch } from './strategic-merge-patch.ts';

export const APPLY_PATCH = 'application/apply-patch+yaml';

export function isApplyPatch(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() === APPLY_PATCH;
}

/**
 * Applies a PATCH body to an object by its Content-Type. Server-side apply is approximated as a strategic
 * merge of the applied configuration: no field ownership, so fields dropped from the configuration are not
 * removed and there are no apply conflicts.
 */
export function patchObject(original: unknown, patch: unknown, contentType: string | undefined): unknown {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  switch (mediaType) {
    case 'application/json-patch+json':
      return applyJsonPatch(original, patch);
    case 'application/merge-patch+json':
      return applyMergePatch(original, patch);
    case 'application/strategic-merge-patch+json':
    case APPLY_PATCH:
      return applyStrategicMergePatch(original, patch);
    default:
      throw unsupportedMediaType(mediaType);
  }
}
