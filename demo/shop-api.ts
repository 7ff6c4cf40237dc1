// A small demo HTTP API ("shop"), instrumented with the OpenTelemetry Node SDK the way a
// team would: auto-instrumented http, http.route set by the handler, a child span per
// database call. It exports to Telltale via the standard OTEL_EXPORTER_OTLP_* variables.
import { NodeSDK } from '@opentelemetry/sdk-node';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';

const sdk = new NodeSDK({
  resource: resourceFromAttributes({ 'service.name': 'shop', 'service.version': process.env.SHOP_VERSION ?? '1.4.0' }),
  traceExporter: new OTLPTraceExporter(),
  instrumentations: [new HttpInstrumentation()],
});
sdk.start();

// Loaded after the SDK starts so `http` is instrumented.
const { startShop } = await import('./shop-server.ts');
const port = Number(process.env.SHOP_PORT ?? 3001);
await startShop(port);
console.log(`shop API listening on http://127.0.0.1:${port}`);
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => void sdk.shutdown().finally(() => process.exit(0)));
}
