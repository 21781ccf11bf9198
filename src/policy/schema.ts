import { z } from 'zod';

/** Everything a policy may look at. Documented in README ("Writing policies"); keep the two in step. */
export const PolicyInput = z.object({
  /** deploy | rollback | approve | deny | abort | promote | pause | resume | lock | unlock | freeze | unfreeze */
  action: z.string(),
  request: z.object({
    service: z.string().optional(),
    env: z.string().optional(),
    version: z.string().optional(),
    strategy: z.string().optional(),
    percent: z.number().optional(),
    reason: z.string().optional(),
    dry_run: z.boolean().default(false),
    deploy_id: z.string().optional(),
  }).strict(),
  requester: z.object({ id: z.string(), name: z.string(), groups: z.array(z.string()) }).strict(),
  /** The deploy's requester when the action concerns an existing deploy (approve, deny, abort …). */
  deploy_requester: z.object({ id: z.string(), name: z.string(), groups: z.array(z.string()) }).strict().optional(),
  service: z.object({ name: z.string(), team: z.string(), environments: z.array(z.string()) }).strict().optional(),
  approvals: z.array(z.object({ id: z.string(), name: z.string(), groups: z.array(z.string()) }).strict()),
  /** One-off freezes written by `/freeze` (kept in Redis), active or upcoming. */
  freezes: z.array(z.object({ env: z.string(), from: z.string(), until: z.string().optional(), reason: z.string().optional(), by: z.string() }).strict()),
  now: z.string(),
  /**
   * The image a deploy would roll out, for a service with a `signature` policy (absent otherwise, and for rollbacks):
   * its digest (pinned when the request was recorded; null while the version has no image yet — it is built first and
   * verified at the gate before the rollout — or while the registry cannot be read), whether a signature of that
   * digest verifies under the service's policy, who signed it, and why not in words (src/artifacts/).
   */
  image: z.object({
    digest: z.string().nullable(),
    signed: z.boolean(),
    signer: z.object({ identity: z.string(), issuer: z.string().nullable() }).strict().nullable(),
    reason: z.string().nullable(),
  }).strict().optional(),
  /**
   * Version order, when the action concerns a deploy or rollback: the version the environment runs now (null when
   * nothing runs there yet), the one asked for (null for a rollback to "the previous version"), how they compare by
   * SemVer (src/deploy/compare-versions.ts), and whether the one asked for is a pre-release.
   */
  versions: z.object({
    running: z.string().nullable(),
    requested: z.string().nullable(),
    comparison: z.enum(['upgrade', 'downgrade', 'same', 'prerelease', 'unknown']),
    prerelease: z.boolean(),
  }).strict().optional(),
  /**
   * Environment order, when the deploy's environment requires an earlier one (`requires: {after, soak}` in
   * deckhand.yaml); null otherwise, and for rollbacks. From Deckhand's own records of `after`: the longest run there
   * of the same artifact (same digest when both records have one, else the same version), src/desk/promotion-facts.ts.
   */
  promotion: z.object({
    after: z.string(),
    needed_seconds: z.number().int().min(0),
    /** The same artifact succeeded in `after`. */
    ran: z.boolean(),
    /** It did, and ran there (before something else replaced it, or until now) for at least `needed_seconds`. */
    satisfied: z.boolean(),
    /** `after` still runs it: waiting adds to `soaked_seconds` (otherwise only deploying it there again does). */
    still_running: z.boolean(),
    /** When that run began (the deploy there finished), and how long it lasted or has lasted so far. */
    ran_at: z.string().nullable(),
    soaked_seconds: z.number().int().min(0).nullable(),
    deploy_id: z.string().nullable(),
    matched_by: z.enum(['digest', 'version']).nullable(),
  }).strict().nullable().optional(),
}).strict();
export type PolicyInput = z.infer<typeof PolicyInput>;

export const DenyReason = z.object({ message: z.string(), rule: z.string() }).strict();
export type DenyReason = z.infer<typeof DenyReason>;

/**
 * The decision contract every backend returns (embedded Rego or an OPA server):
 * `allow` — may proceed now; `deny` — why not, one human sentence each, with the rule that said it;
 * `approvals` — how many are required and counted, and who may give them.
 * A request that is not denied but lacks approvals has `allow: false`, an empty `deny`, and `have < required`.
 */
export const Decision = z.object({
  allow: z.boolean(),
  deny: z.array(DenyReason),
  approvals: z.object({
    required: z.number().int().min(0),
    have: z.number().int().min(0),
    eligible: z.array(z.string()),
  }).strict(),
}).strict();
export type Decision = z.infer<typeof Decision>;

/**
 * OPA's `.manifest` (https://www.openpolicyagent.org/docs/management-bundles#bundle-file-format). Fields OPA knows
 * and we do not use (`metadata`, `file_rego_versions`) are accepted and ignored, as OPA ignores unknown ones.
 */
export const BundleManifest = z.object({
  revision: z.string().default(''),
  roots: z.array(z.string()).optional(),
  rego_version: z.number().int().optional(),
  wasm: z.array(z.unknown()).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type BundleManifest = z.infer<typeof BundleManifest>;
