// Telltale's own metrics, on one registry created at start and injected where needed.
// Label values are bounded: route templates as fastify knows them, reasons from a fixed set.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface TelltaleMetrics {
  registry: Registry;
  ingestSpans: Counter<'receiver'>;
  ingestCalls: Counter<'receiver'>;
  /** Items refused, by reason (a whole request counts 1 when its size is unknown). */
  discarded: Counter<'receiver' | 'reason'>;
  httpDuration: Histogram<'method' | 'route' | 'status_class'>;
  storeWriteDuration: Histogram;
  ingestQueueDepth: Gauge;
  /** Read when /metrics is scraped; the runtime points it at its ingest queue. */
  queueDepthSource: () => number;
}

export function createMetrics(): TelltaleMetrics {
  const registry = new Registry();
  // Includes nodejs_eventloop_lag_seconds and the event-loop delay percentiles.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  const metrics: TelltaleMetrics = {
    registry,
    queueDepthSource: () => 0,
    ingestSpans: new Counter({ name: 'telltale_ingest_spans_total', help: 'Spans accepted and stored.', labelNames: ['receiver'], registers: [registry] }),
    ingestCalls: new Counter({ name: 'telltale_ingest_api_calls_total', help: 'ApiCalls derived and stored.', labelNames: ['receiver'], registers: [registry] }),
    discarded: new Counter({ name: 'telltale_ingest_discarded_total', help: 'Items refused at ingest, by reason.', labelNames: ['receiver', 'reason'], registers: [registry] }),
    httpDuration: new Histogram({
      name: 'telltale_http_request_duration_seconds', help: 'HTTP request durations by route template.',
      labelNames: ['method', 'route', 'status_class'], buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry],
    }),
    storeWriteDuration: new Histogram({
      name: 'telltale_store_write_duration_seconds', help: 'Duration of one ingest transaction.',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1], registers: [registry],
    }),
    ingestQueueDepth: new Gauge({
      name: 'telltale_ingest_queue_items', help: 'Calls and spans waiting to be written.', registers: [registry],
      collect() {
        this.set(metrics.queueDepthSource());
      },
    }),
  };
  return metrics;
}
