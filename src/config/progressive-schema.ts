import { z } from 'zod';
import { Duration, KubeName, NAME } from './schema-primitives.ts';

/** A service's progressive-delivery settings in `deckhand.yaml`: canary steps and traffic, analysis, probes, blue-green. */

/** A share of traffic in percent, 1..100. */
const Percent = z.number({ error: 'must be a percentage from 1 to 100' }).int('must be a whole percentage').min(1, 'must be at least 1').max(100, 'must be at most 100');

/** How a canary gets its share of traffic: by replica ratio (any cluster) or by Gateway API HTTPRoute weights. */
export const CanaryTraffic = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('replicas') }).strict(),
  z.object({
    kind: z.literal('httproute'),
    /** The HTTPRoute whose backendRefs carry the weights; its stable backend is the service's Service. */
    route: KubeName,
  }).strict(),
  /**
   * Istio VirtualService weights. With `destinationRule`, between two subsets of the stable Service's host (Deckhand
   * sets the canary subset's labels; the stable subset must select a label the stable pods have and a canary copy
   * lacks); without it, between two hosts: the stable Service and `<deployment>-canary`, which Deckhand creates.
   */
  z.object({
    kind: z.literal('istio'),
    virtualService: KubeName,
    /** The `http[].name` of the route that carries the weights (default: every HTTP route to the stable host). */
    route: z.string().min(1).optional(),
    destinationRule: KubeName.optional(),
    stableSubset: z.string().regex(NAME, 'must be a subset name like `stable`').optional(),
    canarySubset: z.string().regex(NAME, 'must be a subset name like `canary`').optional(),
  }).strict().superRefine((t, ctx) => {
    if (!t.destinationRule && (t.stableSubset !== undefined || t.canarySubset !== undefined)) {
      ctx.addIssue({ code: 'custom', path: [t.stableSubset !== undefined ? 'stableSubset' : 'canarySubset'], message: 'subsets need `destinationRule` (without it the weights go to two hosts: the stable Service and `<deployment>-canary`)' });
    }
    if (t.destinationRule && (t.stableSubset ?? 'stable') === (t.canarySubset ?? 'canary')) {
      ctx.addIssue({ code: 'custom', path: ['canarySubset'], message: 'the canary subset must differ from the stable subset' });
    }
  }),
], { error: 'must be `{kind: replicas}`, `{kind: httproute, route: <name>}` or `{kind: istio, virtualService: <name>}`' });
export type CanaryTraffic = z.infer<typeof CanaryTraffic>;

export const Canary = z.object({
  /** Traffic percentages, in order; the last must be 100. The first is replaced by `/deploy … canary N%`. */
  steps: z.array(Percent).min(1).default([5, 25, 50, 100]).refine((steps) => steps.at(-1) === 100, 'the last step must be 100')
    .refine((steps) => steps.every((p, i) => i === 0 || p > (steps[i - 1] ?? 0)), 'steps must increase'),
  /** How long each step is held (and analysed) before the next one. */
  hold: Duration.default(60_000),
  traffic: CanaryTraffic.default({ kind: 'replicas' }),
}).strict();
export type Canary = z.infer<typeof Canary>;

/** One metric check. PromQL is templated with {{service}}, {{namespace}} and {{version}}. */
export const AnalysisCheck = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('prometheus'),
    name: z.string().regex(NAME, 'must be a check name like `error-rate`'),
    query: z.string().min(1),
    /** The check fails when the value is above this. */
    failAbove: z.number(),
    /** Shown beside values on the card (`ratio`, `ms`). */
    unit: z.enum(['ratio', 'ms', 'count']).default('count'),
  }).strict(),
], { error: 'must be `{kind: prometheus, name, query, failAbove}`' });
export type AnalysisCheck = z.infer<typeof AnalysisCheck>;

const SELECT = 'namespace="{{namespace}}",service="{{service}}",version="{{version}}"';
/** The defaults: the canary's 5xx ratio (fail above 1%) and p99 latency (fail above 800 ms). */
export const DEFAULT_CHECKS: AnalysisCheck[] = [
  {
    kind: 'prometheus', name: 'error-rate', unit: 'ratio', failAbove: 0.01,
    query: `sum(rate(http_requests_total{${SELECT},code=~"5.."}[1m])) / sum(rate(http_requests_total{${SELECT}}[1m]))`,
  },
  {
    kind: 'prometheus', name: 'latency-p99', unit: 'ms', failAbove: 800,
    query: `histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{${SELECT}}[1m]))) * 1000`,
  },
];

export const Analysis = z.object({
  /** Time between two evaluations during a step. */
  interval: Duration.default(30_000),
  /** A check fails the deploy after this many failed evaluations in a row. */
  failureLimit: z.number().int().min(1).default(1),
  /**
   * How long after a step's traffic change a round without data (a new pod's series take a scrape, or in a real
   * Prometheus a 5 s discovery batch, to appear) is retried at the next round instead of pausing the canary for a
   * person. Default: two intervals.
   */
  noDataGrace: Duration.optional(),
  checks: z.array(AnalysisCheck).default(DEFAULT_CHECKS),
}).strict();
export type Analysis = z.infer<typeof Analysis>;

/** HTTP probe against each canary / green pod. */
export const Probe = z.object({
  path: z.string().regex(/^\//, 'must be a path starting with /'),
  expectStatus: z.number().int().min(100).max(599).default(200),
  timeout: Duration.default(2_000),
}).strict();
export type Probe = z.infer<typeof Probe>;

export const BlueGreen = z.object({
  /** How long the old colour stays up after the switch, for an instant `/rollback`. */
  keepOldFor: Duration.default(10 * 60_000),
}).strict();
export type BlueGreen = z.infer<typeof BlueGreen>;
