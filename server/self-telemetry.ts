// Telltale's own traces, exported with the OpenTelemetry SDK when OTEL_EXPORTER_OTLP_ENDPOINT
// is set. Ingest requests are never traced: pointed at itself, Telltale would otherwise trace
// the export of its own spans, and export those, in an endless loop.
import type { IncomingMessage } from 'node:http';

const UNTRACED = /^\/(v1\/|livez|readyz|metrics)/;

export interface SelfTelemetry {
  close(): Promise<void>;
}

/** Starts the SDK; must run before fastify is imported so that `http` gets instrumented. */
export async function startSelfTelemetry(endpoint: string): Promise<SelfTelemetry> {
  const [{ NodeSDK }, { OTLPTraceExporter }, { HttpInstrumentation }, { resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/resources'),
  ]);
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ 'service.name': process.env.OTEL_SERVICE_NAME ?? 'telltale' }),
    traceExporter: new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` }),
    instrumentations: [new HttpInstrumentation({
      ignoreIncomingRequestHook: (request: IncomingMessage) => UNTRACED.test(request.url ?? ''),
      // The exporter's own requests are outgoing calls to /v1/traces: never trace them.
      ignoreOutgoingRequestHook: (options) => typeof options === 'object' && UNTRACED.test(('path' in options ? options.path : '') ?? ''),
    })],
  });
  sdk.start();
  return { close: () => sdk.shutdown() };
}
