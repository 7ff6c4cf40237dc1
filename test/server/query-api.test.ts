// The query API over HTTP, on data written straight to the store, with an injected clock:
// series buckets, error breakdowns, time parsing, validation and hostile filter values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiCall } from '../../store/index.ts';
import { startTelltale } from '../helpers/telltale.ts';

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);

function call(i: number, over: Partial<ApiCall>): ApiCall {
  return {
    id: `q${i}`, timeUnixMs: NOW - 30 * 60_000 + i * 1000, service: 'shop', method: 'GET', route: '/items/{id}', statusCode: 200,
    durationMs: 10 + (i % 50), source: 'trace', traceId: null, spanId: null, consumer: i % 2 ? 'acme' : 'globex', error: false, ...over,
  };
}

test('series, errors and calls answer exactly for an injected clock', async (t) => {
  const telltale = await startTelltale(t, { now: () => NOW });
  const calls = Array.from({ length: 600 }, (_, i) => call(i, i % 10 === 0 ? { statusCode: 503, error: true } : i % 10 === 1 ? { statusCode: 404 } : {}));
  calls.push(call(1000, { route: '/pay', method: 'POST', statusCode: 0, error: true, timeUnixMs: NOW - 5 * 60_000 }));
  await telltale.store.append({ calls, spans: [] });

  const series = await telltale.get('/api/v1/series?service=shop&from=now-1h&to=now&step=5m');
  assert.equal(series.status, 200);
  assert.equal(series.body.stepMs, 300_000);
  assert.equal(series.body.points.length, 12);
  assert.equal(series.body.points[0].calls, 0, 'empty buckets are zero, not missing');
  assert.equal(series.body.points[0].p95, null);
  assert.equal(series.body.points.reduce((n: number, p: { calls: number }) => n + p.calls, 0), 601);
  const bucket = series.body.points[6];
  assert.equal(bucket.time, new Date(NOW - 30 * 60_000).toISOString());
  const inBucket = calls.filter((c) => c.timeUnixMs >= NOW - 30 * 60_000 && c.timeUnixMs < NOW - 25 * 60_000);
  assert.equal(bucket.calls, inBucket.length);
  assert.equal(bucket.errorRate, inBucket.filter((c) => c.error).length / inBucket.length);
  // Every percentile an alert rule can watch, within the sketch's 1% of the exact nearest rank.
  const sorted = inBucket.map((c) => c.durationMs!).sort((x, y) => x - y);
  for (const [key, q] of [['p50', 0.5], ['p75', 0.75], ['p90', 0.9], ['p95', 0.95], ['p99', 0.99], ['p999', 0.999]] as const) {
    const exact = sorted[Math.floor(q * (sorted.length - 1))]!;
    assert.ok(Math.abs((bucket[key] as number) - exact) / exact <= 0.01, `${key}: ${bucket[key]} vs exact ${exact}`);
  }

  const byStatus = await telltale.get('/api/v1/errors?by=status&from=now-1h');
  assert.deepEqual(byStatus.body.rows.map((r: { key: string; calls: number }) => [r.key, r.calls]), [['503', 60], ['404', 60], ['0', 1]]);
  const byRoute = await telltale.get('/api/v1/errors?by=route&from=now-1h');
  assert.equal(byRoute.body.rows[0].key, 'shop GET /items/{id}');
  assert.equal(byRoute.body.rows[0].errors, 60);
  const byConsumer = await telltale.get('/api/v1/errors?by=consumer&from=now-1h&service=shop');
  assert.equal(byConsumer.body.rows.reduce((n: number, r: { calls: number }) => n + r.calls, 0), 601);

  const failed = await telltale.get('/api/v1/calls?status=5xx&from=now-1h&limit=5');
  assert.equal(failed.body.calls.length, 5);
  assert.ok(failed.body.calls.every((c: { statusCode: number }) => c.statusCode === 503));
  const slow = await telltale.get('/api/v1/calls?order=slowest&minDurationMs=55&from=now-1h&limit=1000');
  assert.ok(slow.body.calls.length > 0 && slow.body.calls.every((c: { durationMs: number }) => c.durationMs >= 55));
  assert.equal(slow.body.calls[0].durationMs, 59);
});

test('bad parameters are 400 with a coded error; hostile filter values are just data', async (t) => {
  const telltale = await startTelltale(t, { now: () => NOW });
  await telltale.store.append({ calls: [call(1, {})], spans: [] });
  for (const [path, pattern] of [
    ['/api/v1/routes?from=yesterday', /from: cannot read/],
    ['/api/v1/routes?from=now&to=now-1h', /from must be before to/],
    ['/api/v1/series?step=30s', /whole number of minutes/],
    ['/api/v1/series?from=now-30d&step=1m', /at most 5000 points/],
    ['/api/v1/errors?by=planet', /by/],
    ['/api/v1/calls?limit=100000', /limit/],
    ['/api/v1/traces/not-a-trace-id', /traceId/],
  ] as const) {
    const { status, body } = await telltale.get(path);
    assert.equal(status, 400, path);
    assert.match(body.message, pattern, path);
    assert.match(body.code, /^TELLTALE_ERR_/);
  }
  const missing = await telltale.get(`/api/v1/traces/${'ab'.repeat(16)}`);
  assert.equal(missing.status, 404);
  assert.equal(missing.body.code, 'TELLTALE_ERR_NOT_FOUND');
  for (const hostile of ["shop' OR '1'='1", 'shop"; DROP TABLE calls; --', '%00', '{id}']) {
    const { status, body } = await telltale.get(`/api/v1/routes?from=now-1h&service=${encodeURIComponent(hostile)}`);
    assert.equal(status, 200);
    assert.deepEqual(body.routes, []);
  }
  assert.equal((await telltale.get('/api/v1/routes?from=now-1h&service=shop')).body.routes.length, 1, 'the table is still there');
});
