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
