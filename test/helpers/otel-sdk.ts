// The real OpenTelemetry JS SDK as a trace client: a tracer provider whose batch processor
// exports to Telltale over OTLP/HTTP, as JSON or as protobuf.
import { SpanKind, context, trace, type Attributes, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

export interface SdkClient {
  tracer: Tracer;
  /** Exports everything ended so far and waits for Telltale's answers. */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

export function sdkClient(options: { baseUrl: string; token: string; service: string; encoding: 'json' | 'protobuf' }): SdkClient {
  // Generous timeouts: on a loaded 2-core CI machine an export can wait seconds for its commit,
  // and an exporter that gives up drops the batch, which would read as spans Telltale lost.
  const exporterOptions = { url: `${options.baseUrl}/v1/traces`, headers: { authorization: `Bearer ${options.token}` }, timeoutMillis: 60_000 };
  const exporter = options.encoding === 'json' ? new JsonExporter(exporterOptions) : new ProtoExporter(exporterOptions);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.service, 'service.version': '1.2.3' }),
    spanProcessors: [new BatchSpanProcessor(exporter, { maxExportBatchSize: 512, maxQueueSize: 100_000, scheduledDelayMillis: 50, exportTimeoutMillis: 120_000 })],
  });
  return {
    tracer: provider.getTracer('telltale-test'),
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

export interface ServerCall {
  method: string;
  route: string;
  path: string;
  status: number;
  startMs: number;
  durationMs: number;
  consumer?: string;
  /** Adds a CLIENT child span (a database call) of this length. */
  childMs?: number;
}

/** Records one server span (and an optional child) with explicit times; returns its trace id. */
export function recordServerCall(tracer: Tracer, call: ServerCall, stableNames = true): string {
  const attributes: Attributes = stableNames
    ? { 'http.request.method': call.method, 'http.route': call.route, 'url.path': call.path, 'http.response.status_code': call.status }
    : { 'http.method': call.method, 'http.target': call.path, 'http.status_code': call.status };
  if (call.consumer) attributes['enduser.id'] = call.consumer;
  const span = tracer.startSpan(`${call.method} ${call.route}`, { kind: SpanKind.SERVER, startTime: call.startMs, attributes });
  if (call.childMs !== undefined) {
    const child = tracer.startSpan('SELECT orders', { kind: SpanKind.CLIENT, startTime: call.startMs + 0.5, attributes: { 'db.system': 'postgresql' } }, trace.setSpan(context.active(), span));
    child.end(call.startMs + 0.5 + call.childMs);
  }
  if (call.status >= 500) span.setStatus({ code: 2, message: 'server error' });
  span.end(call.startMs + call.durationMs);
  return span.spanContext().traceId;
}
