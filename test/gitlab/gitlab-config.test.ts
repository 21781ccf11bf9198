import { describe, expect, it } from 'vitest';
import { buildTargetOf } from '../../src/build/index.ts';
import { formatConfigProblems, loadConfigText, secretsOf } from '../../src/config/index.ts';

/** One service on GitLab, with `build` and `repository` as the test says. */
const billing = (repository: string, build = ''): string => `
services:
  billing:
    team: payments
    repository: ${repository}
    image: registry.local/acme/billing
    versionPattern: 'v\\d+\\.\\d+\\.\\d+'
${build ? `    build: ${build}\n` : ''}    environments:
      staging: { namespace: staging, deployment: billing, container: billing, replicas: 1 }
`;

function problems(text: string, env: Record<string, string> = {}): string {
  const r = loadConfigText(text, 'deckhand.yaml', env);
  if (r.ok) throw new Error('expected problems');
  return formatConfigProblems(r.problems);
}

describe('a service built on GitLab in deckhand.yaml and the environment', () => {
  it('reads `repository: gitlab:group/name` with pipeline variables as a GitLab build target', () => {
    const r = loadConfigText(billing('gitlab:acme/payments/billing', "{ variables: { DEPLOY_VERSION: '{version}' } }"), 'deckhand.yaml', {});
    if (!r.ok) throw new Error(formatConfigProblems(r.problems));
    const svc = r.config.services.billing;
    if (!svc) throw new Error('no billing');
    expect(buildTargetOf(svc)).toEqual({
      forge: 'gitlab', repository: 'acme/payments/billing', image: 'registry.local/acme/billing',
      workflow: '.gitlab-ci.yml', inputs: { DEPLOY_VERSION: '{version}' },
    });
  });

  it.each([
    ['a GitLab path without a project', billing('gitlab:acme'), 'deckhand.yaml:5:17: services.billing.repository: must look like `gitlab:group/name` for a GitLab project, like `gitlab:acme/billing`'],
    ['a GitHub workflow on a GitLab project', billing('gitlab:acme/billing', '{ workflow: build.yml }'), 'services.billing.build.workflow: is for GitHub Actions; gitlab:acme/billing is a GitLab project, built by a pipeline for the tag'],
    ['GitHub inputs on a GitLab project', billing('gitlab:acme/billing', '{ inputs: { v: x } }'), 'services.billing.build.inputs: are GitHub workflow inputs; a GitLab pipeline takes `variables`'],
    ['pipeline variables on a GitHub repository', billing('acme/billing', '{ workflow: build.yml, variables: { V: x } }'), 'services.billing.build.variables: are GitLab pipeline variables; a GitHub workflow takes `inputs`'],
    ['a GitHub build without its workflow', billing('acme/billing', '{}'), 'services.billing.build.workflow: is needed: the GitHub Actions workflow that builds acme/billing'],
    ['a bad CI variable name', billing('gitlab:acme/billing', '{ variables: { 1BAD: x } }'), 'must be a CI variable name like `DEPLOY_VERSION`'],
    ['a misspelt build key', billing('gitlab:acme/billing', '{ variabels: { V: x } }'), 'did you mean `variables`'],
    ['a `gitlab:` key in place of the repository', billing('acme/billing').replace('    image:', '    gitlab: { project: acme/billing }\n    image:'), 'services.billing: unknown key `gitlab`: a service on GitLab names its project as `repository: gitlab:group/name`'],
    ['a `pipeline:` key in the build', billing('gitlab:acme/billing', '{ pipeline: true }'), 'services.billing.build: unknown key `pipeline`: a service on GitLab is built by a pipeline for the tag'],
  ])('reports %s, naming the service and the field', (_what, text, message) => {
    expect(problems(text)).toContain(message);
  });

  it('reads GITLAB_URL, GITLAB_TOKEN and GITLAB_WEBHOOK_TOKEN, masks both secrets and never echoes them', () => {
    const env = { GITLAB_URL: 'https://gitlab.example.com', GITLAB_TOKEN: 'glpat-secret', GITLAB_WEBHOOK_TOKEN: 'hook-secret' };
    const r = loadConfigText(billing('gitlab:acme/billing'), 'deckhand.yaml', env);
    if (!r.ok) throw new Error(formatConfigProblems(r.problems));
    expect(r.config.runtime.gitlab).toEqual({ url: 'https://gitlab.example.com', token: 'glpat-secret', webhookToken: 'hook-secret' });
    expect(secretsOf(r.config)).toEqual(expect.arrayContaining(['glpat-secret', 'hook-secret']));
    expect(secretsOf(r.config)).not.toContain('https://gitlab.example.com');

    const text = problems(billing('gitlab:acme/billing'), { GITLAB_URL: 'gitlab.example.com', GITLAB_TOKEN: 'glpat-secret' });
    expect(text).toContain('GITLAB_URL must be an http:// or https:// URL');
    expect(text).not.toContain('glpat-secret');
  });

  it('leaves the runtime without GitLab when no GITLAB_* variable is set', () => {
    const r = loadConfigText(billing('gitlab:acme/billing'), 'deckhand.yaml', {});
    expect(r.ok && r.config.runtime.gitlab).toBeUndefined();
  });
});
