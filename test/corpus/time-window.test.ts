// The accepted time window's edges, with an injected clock: a span starting exactly at
// now − maxAge or now + maxFuture is kept, one nanosecond further is refused with a reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitByWindow } from '../../collector/otlp/time-window.ts';
import type { SpanRecord } from '../../store/index.ts';

const NOW_MS = 1_764_000_000_000;
const span = (startNs: bigint, spanId: string) => ({ spanId, startTimeUnixNano: startNs.toString() }) as SpanRecord;

test('window edges are inclusive, to the nanosecond; reasons are capped, every rejection counted', () => {
  const window = { maxAgeMs: 60_000, maxFutureMs: 1_000, now: () => NOW_MS };
  const now = BigInt(NOW_MS) * 1_000_000n;
  const earliest = now - 60_000n * 1_000_000n;
  const latest = now + 1_000n * 1_000_000n;
  const spans = [span(earliest, 'a'), span(earliest - 1n, 'b'), span(latest, 'c'), span(latest + 1n, 'd'), span(1n, 'e'), span(2n ** 63n, 'f')];
  const split = splitByWindow(spans, window, 2);
  assert.deepEqual(split.kept.map((s) => s.spanId), ['a', 'c']);
  assert.equal(split.rejected, 4);
  assert.equal(split.errors.length, 2);
  assert.match(split.errors[0]!, /^span b: .* in the past$/);
  assert.match(split.errors[1]!, /^span d: .* in the future$/);
});

test('gateway pushes: lines from 1970 or hours ahead are rejected with their line and reason, counted out_of_window; the rest is kept', async (t) => {
  const { startCorpusTelltale, measured } = await import('./harness.ts');
  const { timeLocal } = await import('../helpers/nginx-lines.ts');
  const now = Date.now();
  const telltale = await startCorpusTelltale(t, { ingestMaxAgeMs: 7 * 86_400_000, ingestMaxFutureMs: 10 * 60_000 });
  const line = (ms: number) => `10.0.0.1 - - [${timeLocal(ms)}] "GET /api/items/7 HTTP/1.1" 200 12 "-" "curl" 0.010 0.009`;
  const body = [line(now - 60_000), line(Date.UTC(1970, 0, 1, 0, 0, 5)), line(now + 2 * 3_600_000), line(now - 30_000), 'not a log line'].join('\n');
  const { result, discards } = await measured(telltale, async () => {
    const response = await fetch(`${telltale.url}/v1/gateway-logs?format=nginx-timed&service=window-edge`, {
      method: 'POST', body, headers: { authorization: `Bearer ${telltale.tokens.ingest}`, 'content-type': 'text/plain' },
    });
    return { status: response.status, body: (await response.json()) as { accepted: number; rejected: number; errors: Array<{ line: number; reason: string }> } };
  });
  assert.equal(result.status, 200);
  assert.equal(result.body.accepted, 2);
  assert.deepEqual(result.body.errors.map((e) => e.line), [2, 3, 5]);
  assert.match(result.body.errors[0]!.reason, /1970-01-01T00:00:0\d\.\d{3}Z is outside the accepted window/);
  assert.match(result.body.errors[0]!.reason, /telltale import/);
  assert.deepEqual(discards, { 'gateway_push/out_of_window': 2, 'gateway_push/invalid_line': 1 });
  const services = (await telltale.get('/api/v1/services?from=now-1h')).body.services as Array<{ service: string; calls: number }>;
  assert.equal(services.find((s) => s.service === 'window-edge')?.calls, 2);
});

test('OTLP log records: an access-log record from 1970 is refused with partial success and counted out_of_window; the rest is kept', async (t) => {
  const { startCorpusTelltale, measured } = await import('./harness.ts');
  const telltale = await startCorpusTelltale(t, { ingestMaxAgeMs: 7 * 86_400_000, ingestMaxFutureMs: 10 * 60_000 });
  const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
  const record = (ms: number) => ({
    timeUnixNano: `${BigInt(ms) * 1_000_000n}`,
    attributes: [str('http.request.method', 'GET'), str('http.route', '/items/{id}'), { key: 'http.response.status_code', value: { intValue: '200' } }],
  });
  const body = JSON.stringify({
    resourceLogs: [{
      resource: { attributes: [str('service.name', 'window-logs')] },
      scopeLogs: [{ logRecords: [record(Date.now() - 60_000), record(Date.UTC(1970, 0, 1, 0, 0, 5)), record(Date.now() - 30_000)] }],
    }],
  });
  const { result, discards } = await measured(telltale, async () => {
    const response = await fetch(`${telltale.url}/v1/logs`, {
      method: 'POST', body, headers: { authorization: `Bearer ${telltale.tokens.ingest}`, 'content-type': 'application/json' },
    });
    return { status: response.status, body: (await response.json()) as { partialSuccess?: { rejectedLogRecords?: string | number; errorMessage?: string } } };
  });
  assert.equal(result.status, 200);
  assert.equal(Number(result.body.partialSuccess?.rejectedLogRecords), 1);
  assert.match(result.body.partialSuccess?.errorMessage ?? '', /1970-01-01T00:00:05\.000Z: outside the accepted time window/);
  assert.deepEqual(discards, { 'otlp_logs/out_of_window': 1 });
  const services = (await telltale.get('/api/v1/services?from=now-1h')).body.services as Array<{ service: string; calls: number }>;
  assert.equal(services.find((s) => s.service === 'window-logs')?.calls, 2);
});
