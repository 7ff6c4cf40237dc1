// End to end with the real OpenTelemetry JS SDK: spans exported over OTLP/HTTP (JSON to the
// main port, protobuf to the OTLP port) come back from the query API with exact counts,
// percentiles within 1% of exact, and the trace's span tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTelltale } from '../helpers/telltale.ts';
import { recordServerCall, sdkClient, type ServerCall } from '../helpers/otel-sdk.ts';
import { createRandom } from '../helpers/random.ts';
import { exactQuantile, relativeError } from '../helpers/exact.ts';

const ROUTES = [
  { method: 'GET', route: '/orders/{id}', path: (n: number) => `/orders/${n}` },
  { method: 'POST', route: '/orders', path: () => '/orders' },
  { method: 'GET', route: '/health', path: () => '/health' },
];

function generateCalls(seed: number, count: number, startMs: number): ServerCall[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const r = ROUTES[i % ROUTES.length]!;
    const roll = random.next();
    return {
      method: r.method, route: r.route, path: r.path(1000 + i), startMs: startMs + i * 37,
      durationMs: r.route === '/health' ? random.lognormal(0, 0.3) : random.bimodal(0.15),
      status: roll < 0.05 ? 503 : roll < 0.12 ? 404 : 200,
      consumer: `customer-${random.int(4)}`,
    };
  });
}

for (const encoding of ['json', 'protobuf'] as const) {
  test(`OpenTelemetry SDK over OTLP/HTTP ${encoding}: counts, error rates and percentiles match exact values`, async (t) => {
    const telltale = await startTelltale(t);
    const baseUrl = encoding === 'json' ? telltale.url : telltale.otlpUrl;
    const client = sdkClient({ baseUrl, token: telltale.tokens.ingest, service: `shop-${encoding}`, encoding });
    t.after(() => client.shutdown());

    const startMs = Date.now() - 30 * 60_000;
    const calls = generateCalls(encoding === 'json' ? 1 : 2, 3000, startMs);
    for (const call of calls) recordServerCall(client.tracer, call);
    await client.flush();

    const { status, body } = await telltale.get(`/api/v1/routes?service=shop-${encoding}&from=now-2h`);
    assert.equal(status, 200);
    assert.equal(body.routes.length, ROUTES.length);
    for (const r of ROUTES) {
      const mine = calls.filter((c) => c.route === r.route);
      const row = body.routes.find((x: { route: string; method: string }) => x.route === r.route && x.method === r.method);
      assert.ok(row, `route ${r.method} ${r.route} reported`);
      assert.equal(row.calls, mine.length);
      assert.equal(row.status5xx, mine.filter((c) => c.status >= 500).length);
      assert.equal(row.status4xx, mine.filter((c) => c.status >= 400 && c.status < 500).length);
      assert.equal(row.errorRate, mine.filter((c) => c.status >= 500).length / mine.length, '4xx are not server errors');
      const durations = mine.map((c) => c.durationMs);
      for (const [field, q] of [['p50', 0.5], ['p90', 0.9], ['p95', 0.95], ['p99', 0.99]] as const) {
        const exact = exactQuantile(durations, q);
        assert.ok(relativeError(row[field], exact) <= 0.01 + 1e-6, `${r.route} ${field}: ${row[field]} vs exact ${exact}`);
      }
    }

    const services = await telltale.get('/api/v1/services?from=now-2h');
    const service = services.body.services.find((s: { service: string }) => s.service === `shop-${encoding}`);
    assert.equal(service.calls, calls.length);
    const allDurations = calls.map((c) => c.durationMs);
    assert.ok(relativeError(service.p99, exactQuantile(allDurations, 0.99)) <= 0.01 + 1e-6, 'merged across routes');

    const byConsumer = await telltale.get(`/api/v1/errors?service=shop-${encoding}&from=now-2h&by=consumer`);
    assert.equal(byConsumer.status, 200);
    assert.equal(byConsumer.body.rows.reduce((n: number, r: { calls: number }) => n + r.calls, 0), calls.length);
  });
}

test('a trace shows its span tree, and trace search and recent calls link to it', async (t) => {
  const telltale = await startTelltale(t);
  const client = sdkClient({ baseUrl: telltale.otlpUrl, token: telltale.tokens.ingest, service: 'checkout', encoding: 'protobuf' });
  t.after(() => client.shutdown());
  const startMs = Date.now() - 60_000;
  const traceId = recordServerCall(client.tracer, { method: 'POST', route: '/pay', path: '/pay', status: 502, startMs, durationMs: 120, childMs: 80 });
  await client.flush();

  const detail = await telltale.get(`/api/v1/traces/${traceId}`);
  assert.equal(detail.status, 200);
  assert.equal(detail.body.spans.length, 2);
  const [root, child] = detail.body.spans;
  assert.equal(root.name, 'POST /pay');
  assert.equal(root.depth, 0);
  assert.equal(child.name, 'SELECT orders');
  assert.equal(child.depth, 1);
  assert.equal(child.parentSpanId, root.spanId);
  assert.ok(Math.abs(child.offsetMs - 0.5) < 1e-6);
  assert.ok(Math.abs(root.durationMs - 120) < 1e-6);

  const search = await telltale.get('/api/v1/traces?service=checkout&hasError=true&from=now-1h');
  assert.deepEqual(search.body.traces.map((x: { traceId: string }) => x.traceId), [traceId]);

  const calls = await telltale.get('/api/v1/calls?service=checkout&from=now-1h');
  assert.equal(calls.body.calls.length, 1);
  assert.equal(calls.body.calls[0].traceId, traceId);
  assert.equal(calls.body.calls[0].error, true);
});
