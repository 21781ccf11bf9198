import type { KubeObject } from '../kube-types.ts';
import type { ResourceType } from '../resource-registry.ts';
import { events as coreEvents } from './core-resources.ts';

/** core/v1 field → events.k8s.io/v1 field, from k8s.io/kubernetes pkg/apis/events/v1 conversion. */
const RENAMES: Array<[string, string]> = [
  ['involvedObject', 'regarding'],
  ['message', 'note'],
  ['source', 'deprecatedSource'],
  ['firstTimestamp', 'deprecatedFirstTimestamp'],
  ['lastTimestamp', 'deprecatedLastTimestamp'],
  ['count', 'deprecatedCount'],
  ['reportingComponent', 'reportingController'],
];

function rename(obj: KubeObject, pairs: Array<[string, string]>): KubeObject {
  const out: KubeObject = { ...obj };
  for (const [from, to] of pairs) {
    if (!(from in out)) continue;
    out[to] = out[from];
    delete out[from];
  }
  return out;
}

/**
 * events.k8s.io/v1 Event: the same Events as core/v1 (one storage), with the newer field names. Registered to
 * show — and test — how a second version of a stored type is served.
 */
export const eventsV1: ResourceType = {
  group: 'events.k8s.io',
  version: 'v1',
  resource: 'events',
  singular: 'event',
  kind: 'Event',
  listKind: 'EventList',
  namespaced: true,
  shortNames: ['ev'],
  ...(coreEvents.columns ? { columns: coreEvents.columns.map((c) => ({ ...c, cell: (o: KubeObject, now: number) => c.cell(rename(o, RENAMES.map(([a, b]) => [b, a])), now) })) } : {}),
  storedAs: {
    groupVersion: 'v1',
    resource: 'events',
    toStorage: (obj) => rename(obj, RENAMES.map(([a, b]) => [b, a])),
    fromStorage: (obj) => rename(obj, RENAMES),
  },
};
