// Real OTLP protobuf bodies: spans made by the OpenTelemetry SDK, serialized by its own encoder.
import { SpanKind } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';

/** A protobuf ExportTraceServiceRequest with `count` SERVER spans of service `service`. */
export async function protobufRequest(service: string, count: number, route = '/things/{id}'): Promise<Buffer> {
  const memory = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ resource: resourceFromAttributes({ 'service.name': service }), spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = provider.getTracer('test');
  const start = Date.now() - 60_000;
  for (let i = 0; i < count; i++) {
    const span = tracer.startSpan(`GET ${route}`, {
      kind: SpanKind.SERVER, startTime: start + i,
      attributes: { 'http.request.method': 'GET', 'http.route': route, 'http.response.status_code': 200 },
    });
    span.end(start + i + 5 + (i % 10));
  }
  await provider.forceFlush();
  const body = ProtobufTraceSerializer.serializeRequest(memory.getFinishedSpans());
  await provider.shutdown();
  if (!body) throw new Error('serializer returned nothing');
  return Buffer.from(body);
}
