import { z } from 'zod';
import { Duration, ServiceName, namedRecord } from './schema-primitives.ts';

/** The `sandbox:` section of deckhand.yaml: what the simulated cluster, registry, forges and Prometheus start with. */

/** A version's behaviour in the sandbox: its 5xx ratio, p99 latency, probe answer, or no metrics at all. */
export const SandboxProfile = z.object({
  errorRate: z.number().min(0).max(1).default(0.001),
  p99Ms: z.number().min(1).default(120),
  probeStatus: z.number().int().min(100).max(599).default(200),
  /** The version exports no metrics (analysis sees "no data"). */
  silent: z.boolean().default(false),
  /** A release that fails once promoted: after serving all of its service's traffic for `after`, its 5xx ratio is `errorRate`. */
  failsAfter: z.object({ after: Duration, errorRate: z.number().min(0).max(1) }).strict().optional(),
}).strict();
export type SandboxProfile = z.infer<typeof SandboxProfile>;

export const SandboxService = z.object({
  /** The version running in every environment when the sandbox starts. */
  running: z.string(),
  /** The image tags that exist in the simulated registry. */
  versions: z.array(z.string()).min(1),
  /** Versions whose pods never become ready. */
  faulty: z.array(z.string()).default([]),
  /** How versions behave under traffic in the simulated Prometheus and pod probes (others: healthy). */
  profiles: z.record(z.string(), SandboxProfile).default({}),
  /** Tags in the simulated GitHub whose image is not built yet: deploying one runs the simulated build first. */
  unbuilt: z.array(z.string()).default([]),
  /** Unbuilt tags whose simulated build fails. */
  failingBuilds: z.array(z.string()).default([]),
  /** Versions the simulated CI pushes without a cosign signature (others are signed with `sandbox.signingKey`). */
  unsigned: z.array(z.string()).default([]),
  /** Versions signed with some other key than `sandbox.signingKey` (a signature that does not verify). */
  wronglySigned: z.array(z.string()).default([]),
}).strict();
export type SandboxService = z.infer<typeof SandboxService>;

export const Sandbox = z.object({
  /** How long a simulated pod takes to become ready. */
  readyDelayMs: z.number().int().min(0).default(400),
  /** Requests per second each service receives in the simulated Prometheus, split by traffic share. */
  requestsPerSecond: z.number().min(1).default(50),
  /** Overrides every environment's progressDeadlineSeconds in the simulated cluster, so a bad release fails fast. */
  progressDeadlineSeconds: z.number().int().min(1).optional(),
  /** How long a simulated GitHub Actions build takes. */
  buildDelayMs: z.number().int().min(0).default(3000),
  /** The test key (PEM private key file) the simulated registry signs images with, as a CI would with cosign; never a real one. */
  signingKey: z.string().min(1).optional(),
  services: namedRecord(ServiceName, SandboxService).default({}),
}).strict();
export type Sandbox = z.infer<typeof Sandbox>;
