import type { Service } from '../config/index.ts';
import type { BuildTarget } from './ports.ts';

const GITLAB = 'gitlab:';

/**
 * A service's build settings from config, as the release steps need them. `repository: gitlab:group/name` names a
 * GitLab project: its pipeline (the project's `.gitlab-ci.yml`) builds a missing image, with `build.variables`.
 */
export function buildTargetOf(service: Pick<Service, 'repository' | 'image' | 'build'>): BuildTarget {
  if (service.repository.startsWith(GITLAB)) {
    return {
      forge: 'gitlab',
      repository: service.repository.slice(GITLAB.length),
      image: service.image,
      ...(service.build && {
        workflow: '.gitlab-ci.yml',
        ...(service.build.ref !== undefined && { ref: service.build.ref }),
        ...(service.build.variables !== undefined && { inputs: { ...service.build.variables } }),
      }),
    };
  }
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
