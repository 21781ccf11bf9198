import type { Service } from '../config/index.ts';
import type { BuildTarget } from './ports.ts';

/** A service's build settings from config, as the release steps need them. */
export function buildTargetOf(service: Pick<Service, 'repository' | 'image' | 'build'>): BuildTarget {
  return {
    repository: service.repository,
    image: service.image,
    ...(service.build && {
      workflow: service.build.workflow,
      ...(service.build.ref !== undefined && { ref: service.build.ref }),
      ...(service.build.inputs !== undefined && { inputs: { ...service.build.inputs } }),
    }),
  };
}
