import { jsonEqual } from '../json-equal.ts';
import { cloneJson } from '../clone-json.ts';
import { WorkQueue } from '../controllers/work-queue.ts';
import type { KubeObject } from '../kube-types.ts';
import { formatTimestamp } from '../kube-types.ts';
import type { ObjectStore, StoreEvent } from '../object-store.ts';
import type { ResourceType } from '../resource-registry.ts';
import { storageKey } from '../resource-registry.ts';
import { assessMetric, effectiveCount, intervalMs, isWorse, measurementPhase } from './assess-metric.ts';
import { parseArgoDuration } from './canary-steps.ts';
import { queryPrometheus } from './measure-prometheus.ts';
import type { AnalysisPhase, AnalysisRun, Measurement, Metric, MetricResult } from './rollout-types.ts';
import { isCompletedPhase } from './rollout-types.ts';

/** Argo keeps the newest 10 measurements of a metric (DefaultMeasurementHistoryLimit). */
const MEASUREMENT_HISTORY_LIMIT = 10;

export interface AnalysisRunControllerOptions {
  /**
   * Where prometheus providers' queries go when set: the sim's stand-in for cluster DNS, so a template written
   * for `http://prometheus.monitoring:9090` reaches the simulated Prometheus. Unset: the template's address.
   */
  prometheusUrl: () => string | undefined;
}

/** Narrows a stored AnalysisRun: the API server checked it against the CRD schema before storing it. */
export function asAnalysisRun(obj: KubeObject): AnalysisRun {
  const run: AnalysisRun = { ...obj, spec: { metrics: [] } };
  const spec = obj.spec;
  if (typeof spec === 'object' && spec !== null && !Array.isArray(spec)) Object.assign(run.spec, spec);
  return run;
}

/**
 * The AnalysisRun controller (analysis/analysis.go): takes each metric's measurements every `interval` (after
 * `initialDelay`) until `count`, judges each with its success/failure condition, and assesses the metric against
 * failureLimit / inconclusiveLimit / consecutiveErrorLimit. The first metric to end Failed, Error or
 * Inconclusive ends the run (IsTerminating); `spec.terminate` ends it as Successful unless something failed.
 * Measurements run asynchronously (a Prometheus query over HTTP); the result is written back on a fresh read.
 */
export class AnalysisRunController {
  readonly #store: ObjectStore;
  readonly #runs: ResourceType;
  readonly #options: AnalysisRunControllerOptions;
  readonly #queue: WorkQueue;
  readonly #unsubscribe: () => void;
  readonly #inFlight = new Map<string, AbortController>();
  #closed = false;

  constructor(store: ObjectStore, runs: ResourceType, options: AnalysisRunControllerOptions) {
    this.#store = store;
    this.#runs = runs;
    this.#options = options;
    this.#queue = new WorkQueue((key) => this.#sync(key));
    this.#unsubscribe = store.subscribe((event) => this.#onEvent(event));
    for (const run of store.list(runs)) this.#queue.add(keyOf(run));
  }

  close(): void {
    this.#closed = true;
    this.#unsubscribe();
    this.#queue.close();
    for (const controller of this.#inFlight.values()) controller.abort();
    this.#inFlight.clear();
  }

  #onEvent(event: StoreEvent): void {
    if (event.storageKey === storageKey(this.#runs) && event.type !== 'DELETED') this.#queue.add(keyOf(event.object));
  }

  #sync(key: string): void {
    const [namespace = '', name = ''] = key.split('/');
    const found = this.#store.get(this.#runs, namespace, name);
    if (!found) return;
    const run = asAnalysisRun(found);
    if (isCompletedPhase(run.status?.phase)) return;
    const now = this.#store.now();
    const status = cloneJson(run.status ?? {});
    status.startedAt ??= formatTimestamp(now);
    const startedAt = Date.parse(status.startedAt);
    const results = status.metricResults ?? [];
    const terminating = run.spec.terminate === true || results.some((r) => r.phase === 'Failed' || r.phase === 'Error' || r.phase === 'Inconclusive');

    let worst: AnalysisPhase = 'Successful';
    let worstMessage: string | undefined;
    let allCompleted = true;
    const nextResults: MetricResult[] = [];
    for (const metric of run.spec.metrics) {
      const result: MetricResult = cloneJson(results.find((r) => r.name === metric.name) ?? { name: metric.name, phase: 'Pending' });
      const assessed = assessMetric(metric, result, terminating && !this.#inFlight.has(`${key}/${metric.name}`));
      result.phase = assessed.phase;
      if (assessed.message && isCompletedPhase(assessed.phase) && assessed.phase !== 'Successful') result.message = assessed.message;
      if (!isCompletedPhase(result.phase)) {
        allCompleted = false;
        if (!terminating) this.#scheduleMeasurement(key, metric, result, startedAt, now);
      } else if (isWorse(worst, result.phase)) {
        worst = result.phase;
        worstMessage = `Metric "${metric.name}" assessed ${result.phase} due to ${result.message ?? result.phase}`;
      }
      nextResults.push(result);
    }
    status.metricResults = nextResults;
    if (allCompleted) {
      status.phase = worst;
      if (worstMessage) status.message = worstMessage;
      else if (run.spec.terminate) status.message = 'Run Terminated';
      status.runSummary = summarize(nextResults);
    } else {
      status.phase = 'Running';
      status.runSummary = summarize(nextResults);
    }
    if (!jsonEqual(status, run.status)) this.#store.update(this.#runs, { ...found, status }, { subresource: 'all' });
    if (!allCompleted && terminating) this.#queue.addAfter(key, 20);
  }

  /** Starts the metric's next measurement when it is due, or asks to be woken when it will be. */
  #scheduleMeasurement(key: string, metric: Metric, result: MetricResult, startedAt: number, now: number): void {
    const flightKey = `${key}/${metric.name}`;
    if (this.#inFlight.has(flightKey)) return;
    const count = effectiveCount(metric);
    if (count !== undefined && (result.count ?? 0) >= count) return;
    const last = result.measurements?.at(-1);
    const initialDelay = metric.initialDelay ? parseArgoDuration(metric.initialDelay) ?? 0 : 0;
    const dueAt = last?.finishedAt ? Date.parse(last.finishedAt) + intervalMs(metric) : startedAt + initialDelay;
    if (dueAt > now) {
      this.#queue.addAfter(key, dueAt - now);
      return;
    }
    const abort = new AbortController();
    this.#inFlight.set(flightKey, abort);
    void this.#measure(metric, abort.signal).then((measurement) => {
      this.#inFlight.delete(flightKey);
      if (this.#closed) return;
      this.#record(key, metric.name, measurement);
      this.#queue.add(key);
    });
  }

  async #measure(metric: Metric, signal: AbortSignal): Promise<Measurement> {
    const startedAt = formatTimestamp(this.#store.now());
    const prometheus = metric.provider.prometheus;
    const finish = (m: Omit<Measurement, 'startedAt' | 'finishedAt'>): Measurement => ({ ...m, startedAt, finishedAt: formatTimestamp(this.#store.now()) });
    if (!prometheus) return finish({ phase: 'Error', message: `The simulated cluster runs prometheus metrics only; ${metric.name} uses ${Object.keys(metric.provider).join(', ')}` });
    const address = this.#options.prometheusUrl() ?? prometheus.address ?? '';
    const answer = await queryPrometheus(address, prometheus.query ?? '', signal);
    if (!answer.ok) return finish({ phase: 'Error', message: answer.message });
    const judged = measurementPhase(metric, answer.result);
    return finish({ phase: judged.phase, value: answer.value, ...(judged.message ? { message: judged.message } : {}) });
  }

  /** Appends a finished measurement to a fresh read of the run and counts it as Argo does. */
  #record(key: string, metricName: string, measurement: Measurement): void {
    const [namespace = '', name = ''] = key.split('/');
    const found = this.#store.get(this.#runs, namespace, name);
    if (!found) return;
    const run = asAnalysisRun(found);
    if (isCompletedPhase(run.status?.phase)) return;
    const status = cloneJson(run.status ?? {});
    const results = status.metricResults ?? [];
    let result = results.find((r) => r.name === metricName);
    if (!result) {
      result = { name: metricName, phase: 'Running' };
      results.push(result);
    }
    if (isCompletedPhase(result.phase)) return;
    result.measurements = [...(result.measurements ?? []), measurement].slice(-MEASUREMENT_HISTORY_LIMIT);
    // Errors do not count towards `count`: only judged measurements do (analysis.go).
    if (measurement.phase === 'Error') {
      result.error = (result.error ?? 0) + 1;
      result.consecutiveError = (result.consecutiveError ?? 0) + 1;
    } else {
      result.count = (result.count ?? 0) + 1;
      result.consecutiveError = 0;
      if (measurement.phase === 'Successful') result.successful = (result.successful ?? 0) + 1;
      if (measurement.phase === 'Failed') result.failed = (result.failed ?? 0) + 1;
      if (measurement.phase === 'Inconclusive') result.inconclusive = (result.inconclusive ?? 0) + 1;
    }
    result.phase = 'Running';
    status.metricResults = results;
    this.#store.update(this.#runs, { ...found, status }, { subresource: 'all' });
  }
}

function summarize(results: MetricResult[]): NonNullable<NonNullable<AnalysisRun['status']>['runSummary']> {
  const count = (phase: AnalysisPhase): number => results.filter((r) => r.phase === phase).length;
  return { count: results.length, successful: count('Successful'), failed: count('Failed'), inconclusive: count('Inconclusive'), error: count('Error') };
}

function keyOf(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}
