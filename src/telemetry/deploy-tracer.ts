/**
 * Deckhand's own traces: each deploy is one OpenTelemetry trace, exported over OTLP/HTTP (JSON) with the official
 * SDK. The only home of the @opentelemetry/* SDK, loaded (by the composition root, with a dynamic import) only when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set: the SDK costs memory a process that exports nothing should not pay.
 *
 * A deploy's steps run in whichever worker picks its job, before and after restarts, so no span can stay open in
 * memory for the whole deploy. Instead the deploy record carries a W3C traceparent, minted when it was created
 * (trace id + the id its root span will have): every step run becomes a span whose parent is that root, in any
 * process, and the root span itself is exported once, by the process that ends the deploy, with the recorded ids
 * and the deploy's real start and end times.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace, type Attributes } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, RandomIdGenerator, TracerProvider, type IdGenerator, type SpanExporter } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { isEndPhase, parseTraceparent, versionOfImage, type Deploy } from '../deploy/index.ts';

export interface DeployTracerOptions {
  /** The OTLP/HTTP base URL (OTEL_EXPORTER_OTLP_ENDPOINT); spans go to `<endpoint>/v1/traces`, as the spec says. */
  endpoint: string;
  serviceName: string;
  /** How long finished spans wait to be sent in one batch (default 2 s; tests shorten it). */
  batchDelayMs?: number;
  /** Told when an export fails (the log): a trace that cannot be sent never fails a deploy. */
  onError?: (err: unknown) => void;
}

export interface DeployTracer {
  /** One step run of a deploy, `ms` long, just finished: a child span of the deploy's root span. */
  stepRan(step: string, ms: number, result: 'ok' | 'error', deploy: Deploy): void;
  /** The deploy has ended (in this process): its root span, from its creation to its end. */
  deployEnded(deploy: Deploy): void;
  /** Sends what is still batched. */
  flush(): Promise<void>;
  /** Sends what is still batched and stops exporting. */
  shutdown(): Promise<void>;
}

/**
 * Random ids, except while `next` is set: then the ids the deploy record holds. The SDK asks its IdGenerator for a
 * root span's span id and trace id synchronously inside `startSpan`, so setting `next` just before that call and
 * clearing it just after is exact: nothing else can start a span in between.
 */
class RecordedIds implements IdGenerator {
  private readonly random = new RandomIdGenerator();
  next: { traceId: string; spanId: string } | undefined;

  generateTraceId(): string {
    return this.next?.traceId ?? this.random.generateTraceId();
  }

  generateSpanId(): string {
    return this.next?.spanId ?? this.random.generateSpanId();
  }
}

function versionOf(d: Deploy): string {
  if (d.action.kind === 'deploy') return d.action.version;
  if (d.action.toVersion) return d.action.toVersion;
  return typeof d.state.toImage === 'string' ? versionOfImage(d.state.toImage) : 'previous';
}

/** What every span of a deploy says: which service, where, which version and how. */
function attributesOf(d: Deploy): Attributes {
  return {
    'deckhand.deploy.id': d.id,
    'deckhand.service': d.service,
    'deckhand.env': d.env,
    'deckhand.version': versionOf(d),
    'deckhand.strategy': d.action.kind === 'rollback' ? 'rollback' : d.action.strategy.kind,
  };
}

export function createDeployTracer(o: DeployTracerOptions): DeployTracer {
  const ids = new RecordedIds();
  const exporter = new OTLPTraceExporter({ url: `${o.endpoint.replace(/\/+$/, '')}/v1/traces`, timeoutMillis: 10_000 });
  // The exporter, telling the log when an export fails (the SDK would only tell its own diagnostics logger).
  const reporting: SpanExporter = {
    export: (spans, done) => exporter.export(spans, (r) => {
      if (r.error) o.onError?.(r.error);
      done(r);
    }),
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush(),
  };
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: o.serviceName }),
    idGenerator: ids,
    spanProcessors: [new BatchSpanProcessor({ exporter: reporting, scheduledDelayMillis: o.batchDelayMs ?? 2_000 })],
  });
  const tracer = provider.getTracer('deckhand');

  /** The deploy's root span as a remote parent; undefined for records without a traceparent (older than it). */
  const parentOf = (d: Deploy) => {
    const ctx = parseTraceparent(d.traceparent);
    return ctx && trace.setSpanContext(ROOT_CONTEXT, { ...ctx, traceFlags: TraceFlags.SAMPLED, isRemote: true });
  };

  return {
    stepRan(step, ms, result, d) {
      const parent = parentOf(d);
      if (!parent) return;
      const end = Date.now();
      const span = tracer.startSpan(`step ${step}`, {
        kind: SpanKind.INTERNAL,
        startTime: end - ms,
        attributes: { ...attributesOf(d), 'deckhand.step': step, 'deckhand.outcome': result },
      }, parent);
      if (result === 'error') span.setStatus({ code: SpanStatusCode.ERROR });
      span.end(end);
    },
    deployEnded(d) {
      const recorded = parseTraceparent(d.traceparent);
      if (!recorded || !isEndPhase(d.phase)) return;
      const start = new Date(d.createdAt).getTime();
      const end = Math.max(start, new Date(d.finishedAt ?? d.updatedAt).getTime());
      ids.next = recorded;
      let span;
      try {
        span = tracer.startSpan(`deploy ${d.service} ${d.env}`, {
          root: true, kind: SpanKind.INTERNAL, startTime: start,
          attributes: { ...attributesOf(d), 'deckhand.outcome': d.phase, ...(d.summary && { 'deckhand.summary': d.summary.slice(0, 500) }) },
        });
      } finally {
        ids.next = undefined;
      }
      if (d.phase === 'failed') span.setStatus({ code: SpanStatusCode.ERROR, message: d.summary });
      span.end(end);
    },
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
