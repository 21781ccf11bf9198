import type { KubeObject } from '../kube-types.ts';
import { isPlainObject } from '../kube-types.ts';
import type { ResourceType } from '../resource-registry.ts';

/**
 * SelfSubjectAccessReview: "may I?" — `kubectl auth can-i` and a bot checking its RBAC at start ask it. The sim
 * has no authorization, so the answer is always yes; nothing is stored, as on a real server.
 */
export const selfSubjectAccessReviews: ResourceType = {
  group: 'authorization.k8s.io',
  version: 'v1',
  resource: 'selfsubjectaccessreviews',
  singular: 'selfsubjectaccessreview',
  kind: 'SelfSubjectAccessReview',
  listKind: 'SelfSubjectAccessReviewList',
  namespaced: false,
  verbs: ['create'],
  review: (obj: KubeObject): KubeObject => ({
    ...obj,
    metadata: { ...(isPlainObject(obj.metadata) ? obj.metadata : {}), creationTimestamp: undefined },
    status: { allowed: true, reason: 'the simulated cluster allows everything' },
  }),
};
