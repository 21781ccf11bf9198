export { createMarkers, type Markers, type MarkersOptions } from './create-markers.ts';
export { deployLinks } from './deploy-links.ts';
export { markerOf, markerTags, versionOf, strategyOf, type Marker, type MarkerKind } from './marker-of.ts';
export { annotationOf } from './grafana-annotations.ts';
export { changeEventOf } from './pagerduty-change-events.ts';
export { DeliveryQueue } from './delivery-queue.ts';
