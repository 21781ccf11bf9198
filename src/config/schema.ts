import { z } from 'zod';
import type { Runtime } from './env-schema.ts';
import { Analysis, BlueGreen, Canary, DEFAULT_CHECKS, Probe } from './progressive-schema.ts';
import { GroupMember, Person } from './people-schema.ts';
import { ServiceSignature } from './signature-schema.ts';
import { LinkTemplates } from './link-templates-schema.ts';
import { DEFAULT_SIGNALS, ServiceSignals } from './signals-schema.ts';
import { Duration, KubeName, NAME, ServiceName, namedRecord } from './schema-primitives.ts';
import { Sandbox, type SandboxService } from './sandbox-schema.ts';
import { checkArgoRolloutsCombinations, checkDeliveryCombinations, Delivery } from './delivery-schema.ts';
export { Sandbox, SandboxProfile, SandboxService } from './sandbox-schema.ts';

/**
 * The shape of `deckhand.yaml`. Every object is strict so a misspelt key is reported, not ignored.
 * Names are lowercase so chat input can be matched case-insensitively without ambiguity.
 */


export { ServiceName } from './schema-primitives.ts';

export const EnvName = z.string().regex(NAME, 'must be lowercase letters, digits and dashes, starting with a letter (like `staging`)');
export type EnvName = z.infer<typeof EnvName>;

/** Group names, including teams: a service's `team` is the group whose members own it. */
export const GroupName = z.string({ error: 'must be a string' }).regex(NAME, 'must be a group name: lowercase letters, digits and dashes, starting with a letter (like `payments`)');
export type GroupName = z.infer<typeof GroupName>;

export const StrategyKindName = z.enum(['rolling', 'canary', 'bluegreen'], {
  error: 'must be one of rolling, canary, bluegreen',
});


/**
 * `requires: { after: staging, soak: 30m }`: a deploy here needs the same artifact to have succeeded in `after` (an
 * environment of the same service), finished at least `soak` ago (none by default). The policy decides with it.
 */
export const EnvironmentOrder = z.object({
  after: EnvName,
  soak: Duration.optional(),
}).strict().transform(({ after, soak }) => ({ after, soakMs: soak ?? 0 }));
export type EnvironmentOrder = z.infer<typeof EnvironmentOrder>;

export const ServiceEnvironment = z.object({
  namespace: KubeName,
  deployment: KubeName,
  container: KubeName,
  replicas: z.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1'),
  /** Like the Deployment field of the same name: how long a rollout may make no progress before it is failed. */
  progressDeadlineSeconds: z.number({ error: 'must be a whole number of seconds' }).int('must be a whole number of seconds').min(1, 'must be at least 1').default(600),
  /** Environment order: what this environment takes must first have succeeded in `after`, at least `soak` ago. */
  requires: EnvironmentOrder.optional(),
  /** How a deploy reaches it: the Deployment patched (default), a GitOps commit Argo CD syncs, or an Argo Rollouts Rollout. */
  delivery: Delivery.default({ kind: 'kubernetes' }),
}).strict();
export type ServiceEnvironment = z.infer<typeof ServiceEnvironment>;

const VersionPattern = z.string({ error: 'must be a regular expression in quotes' }).min(1).refine((source) => {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}, 'is not a valid regular expression');

/** A GitHub repository (`owner/name`) or a GitLab project path behind `gitlab:` (groups and subgroups). */
const REPOSITORY = /^(?:[\w.-]+\/[\w.-]+|gitlab:[\w.-]+(?:\/[\w.-]+)+)$/;

/**
 * The build keys that fit the service's forge: a GitHub build names its workflow (and may give `inputs`); a GitLab
 * build runs the project's pipeline for the tag (and may give `variables`), so it names no workflow.
 */
function checkBuildForForge(service: { repository: string; build?: ServiceBuild }, ctx: z.RefinementCtx): void {
  const b = service.build;
  if (!b) return;
  if (service.repository.startsWith('gitlab:')) {
    if (b.workflow !== undefined) ctx.addIssue({ code: 'custom', path: ['build', 'workflow'], message: `is for GitHub Actions; ${service.repository} is a GitLab project, built by a pipeline for the tag (its .gitlab-ci.yml): write \`build: {}\` or give pipeline \`variables\`` });
    if (b.inputs !== undefined) ctx.addIssue({ code: 'custom', path: ['build', 'inputs'], message: 'are GitHub workflow inputs; a GitLab pipeline takes `variables`' });
    return;
  }
  if (b.workflow === undefined) ctx.addIssue({ code: 'custom', path: ['build', 'workflow'], message: `is needed: the GitHub Actions workflow that builds ${service.repository}, like \`build.yml\`` });
  if (b.variables !== undefined) ctx.addIssue({ code: 'custom', path: ['build', 'variables'], message: 'are GitLab pipeline variables; a GitHub workflow takes `inputs`' });
}

function anchored(source: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${source})$`);
  } catch {
    return undefined;
  }
}



/**
 * How Deckhand builds a version whose image is missing: a GitHub Actions workflow run at the version's tag, or for a
 * service on GitLab a pipeline for the tag (the project's `.gitlab-ci.yml`). Which keys apply depends on the
 * service's forge; Service checks them (checkBuildForForge).
 */
export const ServiceBuild = z.object({
  /** GitHub: the workflow's file name in `.github/workflows/`; it must have a `workflow_dispatch` trigger. */
  workflow: z.string({ error: 'must be a workflow file name like `build.yml`' }).regex(/^[\w.-]+\.ya?ml$/, 'must be a workflow file name like `build.yml`').optional(),
  /** The ref the workflow or pipeline runs at; default the version's tag. */
  ref: z.string().min(1).optional(),
  /** GitHub workflow inputs; `{version}` in a value is replaced by the version. */
  inputs: z.record(z.string(), z.string()).optional(),
  /** GitLab pipeline variables; `{version}` in a value is replaced by the version. */
  variables: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a CI variable name like `DEPLOY_VERSION`'), z.string()).optional(),
}).strict();
export type ServiceBuild = z.infer<typeof ServiceBuild>;

export const Service = z.object({
  /** Owning team, a group name (its members are listed under `groups`); policy decides who may deploy from it. */
  team: GroupName,
  /** GitHub `owner/name`, or a GitLab project as `gitlab:group/name` (subgroups allowed: `gitlab:group/sub/name`). */
  repository: z.string({ error: 'must be a string like `acme/api`' }).regex(REPOSITORY, {
    error: (issue) => (String(issue.input).startsWith('gitlab:') ? 'must look like `gitlab:group/name` for a GitLab project, like `gitlab:acme/billing`' : 'must look like `owner/name`, like `acme/api`'),
  }),
  /** Image repository without tag; the deployed version is the tag. */
  image: z.string({ error: 'must be a string' }).regex(/^[a-z0-9][a-z0-9._\-/:]*[a-z0-9]$/, 'must be an image repository without a tag, like `registry.local/acme/api`'),
  /** Matched against the whole version (it is anchored for you). */
  versionPattern: VersionPattern,
  /** Shown to people who type a version that does not match; must itself match versionPattern. */
  versionExample: z.string().optional(),
  defaultStrategy: StrategyKindName.default('rolling'),
  /** Where `/deploy api v1.2.3` goes without `to <env>`; when absent: `staging` if present, else the only environment. */
  defaultEnv: EnvName.optional(),
  environments: namedRecord(EnvName, ServiceEnvironment).refine((envs) => Object.keys(envs).length > 0, 'a service needs at least one environment'),
  canary: Canary.default({ steps: [5, 25, 50, 100], hold: 60_000, traffic: { kind: 'replicas' } }),
  analysis: Analysis.default({ interval: 30_000, failureLimit: 1, checks: DEFAULT_CHECKS }),
  /** HTTP probes against the canary / green pods; none by default. */
  probes: z.array(Probe).default([]),
  bluegreen: BlueGreen.default({ keepOldFor: 10 * 60_000 }),
  /**
   * How long a promoted deploy stays watched (every strategy): analysis keeps running, alerts roll it back, and the
   * previous version stays up for an instant switch back. 0 (the default): it ends when it is promoted.
   */
  soak: Duration.default(0),
  /** How Alertmanager alerts and Sentry issues name this service (src/signals/). */
  signals: ServiceSignals.default(DEFAULT_SIGNALS),
  /** Absent: a version whose image is missing cannot be deployed (Deckhand says so instead of building it). */
  build: ServiceBuild.optional(),
  /** How its images are signed (cosign key, or keyless identity + issuer); absent: signatures are not checked. */
  signature: ServiceSignature.optional(),
  /** Links shown on its deploy cards (dashboards, logs, traces, errors), with the deploy's time range filled in. */
  links: LinkTemplates.optional(),
}).strict().superRefine((service, ctx) => {
  checkBuildForForge(service, ctx);
  const envNames = Object.keys(service.environments);
  if (service.defaultEnv !== undefined && !envNames.includes(service.defaultEnv)) {
    ctx.addIssue({ code: 'custom', path: ['defaultEnv'], message: `\`${service.defaultEnv}\` is not one of this service's environments (${envNames.join(', ')})` });
  }
  const pattern = anchored(service.versionPattern);
  if (pattern && service.versionExample !== undefined && !pattern.test(service.versionExample)) {
    ctx.addIssue({ code: 'custom', path: ['versionExample'], message: `\`${service.versionExample}\` does not match versionPattern \`${service.versionPattern}\`` });
  }
  checkEnvironmentOrder(service.environments, ctx);
  checkDeliveryCombinations(service, ctx);
  checkArgoRolloutsCombinations(service, ctx);
});
export type Service = z.infer<typeof Service>;

/**
 * `requires.after` names another environment of the same service, and following `after` never comes back to where
 * it started (production after staging after production could never be deployed).
 */
function checkEnvironmentOrder(envs: Record<string, ServiceEnvironment>, ctx: z.RefinementCtx): void {
  const names = Object.keys(envs);
  for (const [env, e] of Object.entries(envs)) {
    const after = e.requires?.after;
    if (after === undefined) continue;
    const path = ['environments', env, 'requires', 'after'];
    if (after === env) {
      ctx.addIssue({ code: 'custom', path, message: `\`${env}\` cannot require itself; name the environment that comes before it (${names.filter((n) => n !== env).join(', ') || 'none other'})` });
      continue;
    }
    if (!envs[after]) {
      ctx.addIssue({ code: 'custom', path, message: `\`${after}\` is not one of this service's environments (${names.join(', ')})` });
      continue;
    }
    const seen = [env];
    for (let cur: string | undefined = after; cur !== undefined; cur = envs[cur]?.requires?.after) {
      if (cur === env) {
        ctx.addIssue({ code: 'custom', path, message: `environment order goes round in a circle (${[...seen, env].join(' after ')}): one of them must come first` });
        break;
      }
      if (seen.includes(cur)) break;
      seen.push(cur);
    }
  }
}

/** Slack settings that are not secrets (those come from SLACK_* variables). */
export const SlackChat = z.object({
  /**
   * The reaction that counts as an approval on a deploy card, by Slack's emoji name without colons
   * (`white_check_mark`, `+1`, `shipit`); `:shipit:` is accepted too.
   */
  approvalEmoji: z.string({ error: 'must be an emoji name like white_check_mark' })
    .transform((v) => v.replace(/^:(.*):$/, '$1'))
    .pipe(z.string().regex(/^[a-z0-9_+'-]+$/, 'must be an emoji name like white_check_mark (lowercase, no spaces)'))
    .default('white_check_mark'),
  /**
   * Read people's Slack user groups (needs usergroups:read), so that a group in `groups` can list one by id as
   * `slack-usergroup:S…` (ids, not handles: a handle can be renamed).
   */
  userGroups: z.boolean({ error: 'must be true or false' }).default(true),
}).strict();
export type SlackChat = z.infer<typeof SlackChat>;

export const Chat = z.object({
  /** The name people mention: `@deckhand deploy …`, `/deckhand deploy …`. */
  botName: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'must be one word (letters, digits, - and _)').default('deckhand'),
  console: z.object({
    /** Who speaks in the console chat when nobody says otherwise. */
    user: z.string().min(1).default('you'),
  }).strict().default({ user: 'you' }),
  /** Absent means Slack's defaults (see SlackChat); present only when the file says something about Slack. */
  slack: SlackChat.optional(),
}).strict();
export type Chat = z.infer<typeof Chat>;

export const Approvals = z.object({
  /** Pending approvals expire after this long (`expireAfter: 30m` in YAML; milliseconds here). */
  expireAfter: Duration.default(30 * 60_000),
}).strict().transform(({ expireAfter }) => ({ expireAfterMs: expireAfter }));
export type Approvals = z.infer<typeof Approvals>;



/**
 * Named groups (`approvers: [alice, slack:U024BE7LH, slack-usergroup:S0APPROVE]`): people by their key in `people`
 * or by platform id, Slack user groups and Discord roles by id; policy sees a person's groups.
 */
export const Groups = namedRecord(GroupName, z.array(GroupMember));
export type Groups = z.infer<typeof Groups>;

/** `people: {alice: {slack: U024BE7LH, discord: "80351110224678912"}}` — one person on several platforms. */
export const People = namedRecord(GroupName, Person);
export type People = z.infer<typeof People>;

export const ReleaseOutcome = z.enum(['success', 'failure', 'abort', 'rollback'], {
  error: 'must be one of success, failure, abort, rollback',
});
export type ReleaseOutcome = z.infer<typeof ReleaseOutcome>;

/** `https://discord.com/api/webhooks/<id>/<token>` (or the same path on DISCORD_API_URL's host). */
function isDiscordWebhookUrl(v: string): boolean {
  try {
    const url = new URL(v);
    return (url.protocol === 'https:' || url.protocol === 'http:') && /\/webhooks\/\d+\/[\w-]+\/?$/.test(url.pathname);
  } catch {
    return false;
  }
}

/**
 * One rule for release notifications: which deploys (all unless narrowed by services, teams, environments,
 * outcomes) go where — a webhook or a channel the bot posts in. A webhook URL is a secret (anyone holding it can
 * post), so messages about it never repeat it. Every matching rule is notified, each destination once.
 */
export const DiscordReleaseRoute = z.object({
  services: z.array(ServiceName).optional(),
  teams: z.array(GroupName).optional(),
  environments: z.array(EnvName).optional(),
  outcomes: z.array(ReleaseOutcome).optional(),
  webhook: z.string({ error: 'must be a Discord webhook URL in quotes' }).refine(isDiscordWebhookUrl, 'must be a Discord webhook URL like https://discord.com/api/webhooks/<id>/<token>').optional(),
  channel: z.string({ error: 'must be a channel id in quotes, like "123456789012345678" (unquoted, YAML reads it as a number and loses digits)' }).regex(/^\d{5,20}$/, 'must be a numeric channel id, like "123456789012345678"').optional(),
}).strict().superRefine((route, ctx) => {
  if ((route.webhook === undefined) === (route.channel === undefined)) {
    ctx.addIssue({ code: 'custom', path: [], message: 'give exactly one of `webhook` (a Discord webhook URL) or `channel` (a channel id the bot posts in)' });
  }
}).transform(({ webhook, channel, ...match }) => ({
  ...match,
  destination: webhook !== undefined ? { kind: 'webhook' as const, url: webhook } : { kind: 'channel' as const, channelId: channel ?? '' },
}));
export type DiscordReleaseRoute = z.infer<typeof DiscordReleaseRoute>;

export const Discord = z.object({
  /** Release notifications (success, failure, abort, rollback), routed per service/team. */
  releases: z.array(DiscordReleaseRoute).default([]),
}).strict();
export type Discord = z.infer<typeof Discord>;

/** What Deckhand does on GitHub besides reading tags (credentials come from GITHUB_TOKEN, never from this file). */
export const GitHub = z.object({
  /** Record each deploy as a GitHub deployment of its environment, its status kept true. */
  deployments: z.boolean().default(true),
  builds: z.object({
    /** First poll interval while following a build (polls back off while nothing changes). */
    pollInterval: Duration.default(5_000),
    maxPollInterval: Duration.default(30_000),
    /** A build running longer fails the deploy. */
    timeout: Duration.default(60 * 60_000),
  }).strict().default({ pollInterval: 5_000, maxPollInterval: 30_000, timeout: 60 * 60_000 }),
  releaseNotes: z.object({
    /** Lines of release notes on a card; the rest is linked. */
    maxItems: z.number().int().min(1).max(50).default(8),
  }).strict().default({ maxItems: 8 }),
}).strict();
export type GitHub = z.infer<typeof GitHub>;

/** The audit log, an append-only Redis stream (`<prefix>:audit`). */
export const Audit = z.object({
  /**
   * Entries kept; older ones are trimmed as new ones arrive. Trimming is approximate (Redis drops whole stream
   * nodes), so at least this many are kept. Export before they age out: `deckhand audit export --since …`.
   */
  maxEntries: z.number().int().min(1000).default(1_000_000),
}).strict();
export type Audit = z.infer<typeof Audit>;

/**
 * `deckhand.yaml`. The sandbox checks span sections, so they run once the rest is valid; each is reported at
 * the offending key.
 */
export const ConfigFile = z.object({
  services: namedRecord(ServiceName, Service).refine((s) => Object.keys(s).length > 0, 'at least one service is needed'),
  people: People.default({}),
  groups: Groups.default({}),
  chat: Chat.default({ botName: 'deckhand', console: { user: 'you' } }),
  approvals: Approvals.default({ expireAfterMs: 30 * 60_000 }),
  sandbox: Sandbox.optional(),
  discord: Discord.optional(),
  github: GitHub.default({ deployments: true, builds: { pollInterval: 5_000, maxPollInterval: 30_000, timeout: 60 * 60_000 }, releaseNotes: { maxItems: 8 } }),
  audit: Audit.default({ maxEntries: 1_000_000 }),
}).strict().superRefine((file, ctx) => {
  checkDiscordRoutes(file, ctx);
  for (const [name, sim] of Object.entries(file.sandbox?.services ?? {})) {
    const service = file.services[name];
    if (!service) {
      ctx.addIssue({ code: 'custom', path: ['sandbox', 'services', name], params: { atKey: true }, message: `\`${name}\` is not a service in services (known: ${Object.keys(file.services).join(', ')})` });
      continue;
    }
    const pattern = anchored(service.versionPattern);
    sim.versions.forEach((version, i) => {
      if (pattern && !pattern.test(version)) {
        ctx.addIssue({ code: 'custom', path: ['sandbox', 'services', name, 'versions', i], message: `\`${version}\` does not match the versionPattern of ${name} (\`${service.versionPattern}\`)` });
      }
    });
    if (!sim.versions.includes(sim.running)) {
      ctx.addIssue({ code: 'custom', path: ['sandbox', 'services', name, 'running'], message: `\`${sim.running}\` is not listed in versions` });
    }
    for (const version of Object.keys(sim.profiles)) {
      if (!sim.versions.includes(version)) {
        ctx.addIssue({ code: 'custom', path: ['sandbox', 'services', name, 'profiles', version], params: { atKey: true }, message: `\`${version}\` is not listed in versions` });
      }
    }
    sim.faulty.forEach((version, i) => {
      if (!sim.versions.includes(version)) {
        ctx.addIssue({ code: 'custom', path: ['sandbox', 'services', name, 'faulty', i], message: `\`${version}\` is not listed in versions` });
      }
    });
    checkSandboxBuilds(name, service, sim, ctx);
  }
});
export type ConfigFile = z.infer<typeof ConfigFile>;

/** Unbuilt tags are versions of the service that are not in the registry yet; only they can fail to build. */
function checkSandboxBuilds(name: string, service: Service, sim: SandboxService, ctx: z.RefinementCtx): void {
  const pattern = anchored(service.versionPattern);
  sim.unbuilt.forEach((version, i) => {
    const path = ['sandbox', 'services', name, 'unbuilt', i];
    if (pattern && !pattern.test(version)) ctx.addIssue({ code: 'custom', path, message: `\`${version}\` does not match the versionPattern of ${name} (\`${service.versionPattern}\`)` });
    else if (sim.versions.includes(version)) ctx.addIssue({ code: 'custom', path, message: `\`${version}\` is also listed in versions (built); list it in one of them` });
  });
  sim.failingBuilds.forEach((version, i) => {
    if (!sim.unbuilt.includes(version)) ctx.addIssue({ code: 'custom', path: ['sandbox', 'services', name, 'failingBuilds', i], message: `\`${version}\` is not listed in unbuilt (only an unbuilt tag is built)` });
  });
}

/** Release routes name services and teams of this file, so a typo is reported rather than silently matching nothing. */
function checkDiscordRoutes(file: { services: Record<string, Service>; discord?: Discord }, ctx: z.RefinementCtx): void {
  const teams = [...new Set(Object.values(file.services).map((s) => s.team))];
  file.discord?.releases.forEach((route, i) => {
    route.services?.forEach((name, j) => {
      if (!file.services[name]) ctx.addIssue({ code: 'custom', path: ['discord', 'releases', i, 'services', j], message: `\`${name}\` is not a service in services (known: ${Object.keys(file.services).join(', ')})` });
    });
    route.teams?.forEach((name, j) => {
      if (!teams.includes(name)) ctx.addIssue({ code: 'custom', path: ['discord', 'releases', i, 'teams', j], message: `\`${name}\` is not the team of any service (teams: ${teams.join(', ')})` });
    });
  });
}


export { EnvVars, ENV_VAR_NAMES, type LogLevel, type Runtime } from './env-schema.ts';
export * from './progressive-schema.ts';
export * from './signals-schema.ts';

/** Everything Deckhand is configured with, parsed once and deeply frozen. */
export type Config = ConfigFile & {
  /** The file the config was read from, for messages. */
  source: string;
  runtime: Runtime;
};
