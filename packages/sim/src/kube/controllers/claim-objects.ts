import type { KubeObject, LabelSelector, OwnerReference } from '../kube-types.ts';
import { labelSelectorMatcher } from '../label-selector.ts';
import type { ObjectStore } from '../object-store.ts';
import type { ResourceType } from '../resource-registry.ts';
import { cloneJson } from '../clone-json.ts';

/**
 * ControllerRefManager.Claim (pkg/controller/controller_ref_manager.go): the objects a controller owns are those
 * with its controllerRef whose labels still match its selector. Orphans that match are adopted (a controllerRef
 * is added); owned objects that no longer match are released (the ref is removed) — which is why
 * `kubectl label pod x app-` takes a pod out of its ReplicaSet and a replacement appears.
 */
export function claimObjects(store: ObjectStore, type: ResourceType, owner: KubeObject & { spec: { selector: LabelSelector } }, ownerRef: OwnerReference): KubeObject[] {
  const matches = labelSelectorMatcher(owner.spec.selector);
  const uid = owner.metadata.uid;
  const claimed: KubeObject[] = [];
  // The store's own objects (see listOwned's `shared`): what is claimed is only read, and copied before a write.
  const candidates = store.listOwned(type, owner.metadata.namespace, uid ?? '', {
    uncontrolled: true,
    shared: true,
    where: (obj) => {
      const controller = obj.metadata.ownerReferences?.find((r) => r.controller);
      return controller ? controller.uid === uid : matches(obj.metadata.labels);
    },
  });
  for (const obj of candidates) {
    const owned = obj.metadata.ownerReferences?.some((r) => r.controller && r.uid === uid) ?? false;
    const selected = matches(obj.metadata.labels);
    if (owned && selected) {
      claimed.push(obj);
    } else if (owned && !obj.metadata.deletionTimestamp) {
      const released = cloneJson(obj);
      released.metadata.ownerReferences = (released.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
      if (released.metadata.ownerReferences.length === 0) delete released.metadata.ownerReferences;
      store.update(type, released, { subresource: 'all' });
    } else if (!owned && selected && !obj.metadata.deletionTimestamp && !owner.metadata.deletionTimestamp) {
      const adopted = cloneJson(obj);
      adopted.metadata.ownerReferences = [...(adopted.metadata.ownerReferences ?? []), ownerRef];
      claimed.push(store.update(type, adopted, { subresource: 'all' }));
    }
  }
  return claimed;
}
