/** The smallest valid `deckhand.yaml`: one service in staging, with `extra` appended at the top level. */
export const serviceYaml = (extra = ''): string => `
services:
  api:
    team: payments
    repository: acme/api
    image: registry.local/acme/api
    versionPattern: 'v\\d+\\.\\d+\\.\\d+'
    environments:
      staging: { namespace: staging, deployment: api, container: api, replicas: 1 }
${extra}`;
