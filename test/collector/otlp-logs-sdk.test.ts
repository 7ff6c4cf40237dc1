// The real OpenTelemetry JS logs SDK and its OTLP/HTTP exporters (JSON and protobuf) against a
// running Telltale: access logs as HTTP attributes, nginx lines as bodies, and application logs
// beside them; checked through the query API for counts, routes, statuses, percentiles,
// consumers and trace linkage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { SeverityNumber, type Logger } from '@opentelemetry/api-logs';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { startTelltale, type TestTelltale } from '../helpers/telltale.ts';
import { nginxTimedLines } from '../helpers/nginx-lines.ts';
import { exactQuantile, relativeError } from '../helpers/exact.ts';
import { createRandom } from '../helpers/random.ts';

type Encoding = 'json' | 'protobuf';

interface LogsClient {
  logger: Logger;
  /** Exports everything emitted so far and waits for Telltale's answers, then stops. */
  shutdown(): Promise<void>;
}

function logsClient(baseUrl: string, token: string, encoding: Encoding, resource: Record<string, string>): LogsClient {
  const options = { url: `${baseUrl}/v1/logs`, headers: { authorization: `Bearer ${token}` } };
  const exporter = encoding === 'json' ? new JsonLogExporter(options) : new ProtoLogExporter(options);
  const provider = new LoggerProvider({
    resource: resourceFromAttributes(resource),
    processors: [new BatchLogRecordProcessor({ exporter, maxExportBatchSize: 512, maxQueueSize: 100_000, scheduledDelayMillis: 50 })],
  });
  return { logger: provider.getLogger('access-log'), shutdown: () => provider.shutdown() };
}

const ROUTES = [
  { method: 'GET', route: '/v1/accounts/{id}', path: (i: number) => `/v1/accounts/${i}` },
  { method: 'POST', route: '/v1/payments', path: () => '/v1/payments' },
  { method: 'GET', route: '/v1/payments/{id}/refunds', path: (i: number) => `/v1/payments/${i}/refunds` },
];

interface Sent {
  method: string;
  route: string;
  status: number;
  durationMs: number;
  consumer: string | null;
  traceId: string | null;
}

async function routesOf(telltale: TestTelltale, service: string) {
  const { status, body } = await telltale.get(`/api/v1/routes?service=${service}&from=now-2h&source=gateway`);
  assert.equal(status, 200);
  return body.routes as Array<{ method: string; route: string; calls: number; status4xx: number; status5xx: number; p50: number; p95: number; p99: number }>;
}

function checkRoutes(rows: Awaited<ReturnType<typeof routesOf>>, sent: readonly Sent[]): void {
  const keys = new Set(sent.map((s) => `${s.method} ${s.route}`));
  assert.equal(rows.length, keys.size);
  for (const row of rows) {
    const mine = sent.filter((s) => s.route === row.route && s.method === row.method);
    assert.ok(mine.length > 0, `unexpected route ${row.method} ${row.route}`);
    assert.equal(row.calls, mine.length, row.route);
    assert.equal(row.status5xx, mine.filter((s) => s.status >= 500).length, row.route);
    assert.equal(row.status4xx, mine.filter((s) => s.status >= 400 && s.status < 500).length, row.route);
    const durations = mine.map((s) => s.durationMs);
    for (const [q, estimate] of [[0.5, row.p50], [0.95, row.p95], [0.99, row.p99]] as const) {
      const exact = exactQuantile(durations, q);
      assert.ok(relativeError(estimate, exact) <= 0.01, `${row.route} p${q * 100} ${estimate} vs exact ${exact}`);
    }
  }
}

for (const encoding of ['json', 'protobuf'] as const) {
  test(`SDK ${encoding} exporter: records with HTTP attributes become calls; application logs do not`, async (t) => {
    const telltale = await startTelltale(t);
    const service = `payments-${encoding}`;
    const client = logsClient(telltale.url, telltale.tokens.ingest, encoding, { 'service.name': service });
    const r = createRandom(encoding === 'json' ? 11 : 12);
    const startMs = Date.now() - 20 * 60_000;
    const sent: Sent[] = [];
    for (let i = 0; i < 1500; i++) {
      const spec = ROUTES[i % ROUTES.length]!;
      const durationMs = Math.max(0.2, Math.round(r.lognormal(Math.log(30), 1) * 1000) / 1000);
      const roll = r.next();
      const status = roll < 0.04 ? 503 : roll < 0.1 ? 404 : spec.method === 'POST' ? 201 : 200;
      const consumer = i % 3 === 0 ? null : i % 3 === 1 ? 'mobile-app' : 'partner-api';
      const traceId = i % 5 === 0 ? (BigInt(i + 1) * 0x9e3779b97f4a7c15n).toString(16).padStart(32, '0').slice(-32) : null;
      const attributes: Record<string, string | number> = {
        // Stable names on even records, the older ones on odd: senders mix them.
        ...(i % 2 === 0
          ? { 'http.request.method': spec.method, 'http.response.status_code': status, 'http.route': spec.route, 'url.path': spec.path(1000 + i) }
          : { 'http.method': spec.method, 'http.status_code': status, 'http.target': spec.path(1000 + i) }),
        'http.server.request.duration': durationMs / 1000,
      };
      if (consumer !== null) attributes['enduser.id'] = consumer;
      client.logger.emit({
        timestamp: startMs + i * 100, severityNumber: SeverityNumber.INFO, body: `${spec.method} ${spec.path(1000 + i)} ${status}`, attributes,
        context: traceId === null ? ROOT_CONTEXT : trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId: traceId.slice(0, 16), traceFlags: 1 }),
      });
      sent.push({ method: spec.method, route: spec.route, status, durationMs, consumer, traceId });
      if (i % 5 === 0) {
        client.logger.emit({ timestamp: startMs + i * 100, severityNumber: SeverityNumber.WARN, body: `cache miss for account ${i}`, attributes: { 'code.function': 'loadAccount' } });
        client.logger.emit({ timestamp: startMs + i * 100, body: { event: 'payment.settled', amount: i, currency: 'EUR' } });
      }
    }
    await client.shutdown();

    checkRoutes(await routesOf(telltale, service), sent);
    const services = await telltale.get('/api/v1/services?from=now-2h');
    assert.equal(services.body.services.find((s: { service: string }) => s.service === service).calls, sent.length, 'application logs are not calls');

    const byConsumer = await telltale.get(`/api/v1/errors?service=${service}&by=consumer&from=now-2h`);
    const rows = byConsumer.body.rows as Array<{ key: string | null; calls: number }>;
    for (const consumer of ['mobile-app', 'partner-api', null]) {
      assert.equal(rows.find((row) => row.key === consumer)?.calls, sent.filter((s) => s.consumer === consumer).length, String(consumer));
    }

    // Durations are random to the microsecond, so each of the slowest calls names one sent record.
    const slowest = await telltale.get(`/api/v1/calls?service=${service}&from=now-2h&order=slowest&limit=100`);
    let traced = 0;
    for (const call of slowest.body.calls as Array<{ durationMs: number; source: string; traceId: string | null; spanId: string | null; consumer: string | null }>) {
      const mine = sent.filter((s) => s.durationMs === call.durationMs);
      assert.equal(mine.length, 1, `one record took ${call.durationMs} ms`);
      assert.equal(call.source, 'gateway');
      assert.equal(call.traceId, mine[0]!.traceId);
      assert.equal(call.spanId, mine[0]!.traceId?.slice(0, 16) ?? null);
      assert.equal(call.consumer, mine[0]!.consumer);
      if (call.traceId !== null) traced++;
    }
    assert.ok(traced > 5, `${traced} of the slowest 100 calls carry trace ids`);
  });
}

test('SDK exporters: nginx-timed lines as bodies are recognised on both ports and both encodings; app logs beside them are ignored', async (t) => {
  const telltale = await startTelltale(t);
  const startSecond = Math.floor((Date.now() - 20 * 60_000) / 1000) * 1000;
  const lines = nginxTimedLines(2400, startSecond, 3);
  const halves = [lines.slice(0, 1200), lines.slice(1200)];
  const clients = [
    logsClient(telltale.otlpUrl, telltale.tokens.ingest, 'protobuf', { 'service.name': 'edge', 'host.name': 'edge-1' }),
    logsClient(telltale.url, telltale.tokens.ingest, 'json', { 'service.name': 'edge', 'host.name': 'edge-2' }),
  ];
  clients.forEach((client, c) => {
    halves[c]!.forEach((line, i) => {
      client.logger.emit({ body: line.line, attributes: { 'log.file.name': 'access.log', 'log.file.path': '/var/log/nginx/access.log' } });
      if (i % 10 === 0) client.logger.emit({ body: `2026/11/26 10:00:00 [warn] 12#12: *${i} upstream response is buffered`, attributes: { 'log.file.name': 'error.log' } });
    });
  });
  await Promise.all(clients.map((client) => client.shutdown()));

  const sent: Sent[] = lines.map((l) => ({ method: l.method, route: l.route, status: l.status, durationMs: l.durationMs, consumer: null, traceId: null }));
  checkRoutes(await routesOf(telltale, 'edge'), sent);
  const calls = await telltale.get('/api/v1/calls?service=edge&from=now-2h&limit=1&order=slowest');
  assert.equal(calls.body.calls[0].durationMs, Math.max(...lines.map((l) => l.durationMs)));
  const slowest = lines.reduce((a, b) => (b.durationMs > a.durationMs ? b : a));
  assert.equal(Date.parse(calls.body.calls[0].time), slowest.startMs, "the line's own time, not the record's");
});
