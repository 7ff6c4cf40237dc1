// logs-to-calls on hand-built records: what counts as an access log, how each kind becomes an
// ApiCall, what is rejected and what is merely ignored, and the idempotency ids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogRecordInput } from '../../collector/otlp/decode-logs.ts';
import { logRecordsToApiCalls, type LogsToCallsOptions } from '../../collector/otlp/logs-to-calls.ts';
import { LogFormats } from '../../collector/log-formats.ts';
import { OVERFLOW_ROUTE, RouteBook } from '../../collector/route-book.ts';
import type { Attributes } from '../../store/index.ts';
import { nginxTimedLines } from '../helpers/nginx-lines.ts';

const NANOS = '1790000000123456789';
const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const SPAN_ID = 'eee19b7ec3c1b174';
const SHOP: Attributes = { 'service.name': 'shop' };

function record(overrides: Partial<LogRecordInput> = {}): LogRecordInput {
  return {
    resource: SHOP, resourceIndex: 0, scopeIndex: 0, recordIndex: 0, timeUnixNano: NANOS, observedTimeUnixNano: NANOS,
    body: undefined, attributes: {}, traceId: null, spanId: null, ...overrides,
  };
}

function options(maxRoutesPerService = 100): LogsToCallsOptions {
  return {
    consumerAttributes: ['enduser.id', 'http.request.header.x-api-key'],
    routes: new RouteBook({ maxRoutesPerService }),
    formats: new LogFormats(),
  };
}

const STABLE = { 'http.request.method': 'get', 'http.route': '/users/{id}', 'url.path': '/users/42', 'http.response.status_code': 503 };

test('stable semantic-convention attributes make a gateway call with the record time, trace linkage and consumer', () => {
  const result = logRecordsToApiCalls([record({
    attributes: { ...STABLE, 'http.server.request.duration': 0.123, 'enduser.id': 'alice' }, traceId: TRACE_ID, spanId: SPAN_ID,
  })], options());
  assert.deepEqual({ ...result, calls: [] }, { calls: [], ignored: 0, rejected: 0, errors: [] });
  const [call] = result.calls;
  assert.ok(call);
  assert.match(call.id, /^otlplog:[0-9a-f]{32}$/);
  assert.deepEqual({ ...call, id: '' }, {
    id: '', timeUnixMs: 1790000000123, service: 'shop', method: 'GET', route: '/users/{id}', statusCode: 503, durationMs: 123,
    source: 'gateway', traceId: TRACE_ID, spanId: SPAN_ID, consumer: 'alice', error: true,
  });
});

test('old attribute names, observed time as fallback, millisecond durations, and templated raw paths', () => {
  const result = logRecordsToApiCalls([
    record({ timeUnixNano: '0', attributes: { 'http.method': 'POST', 'http.status_code': '404', 'http.target': '/orders/12345/items?x=1', duration_ms: 17.5 } }),
    record({ attributes: { 'http.method': 'BREW', 'url.full': 'https://user@shop.example:8443/carts/9f1c2d3e-1111-4222-8333-944445555666', 'http.duration_ms': '8' } }),
    record({ resource: {}, attributes: { 'http.response.status_code': 200, 'http.request.header.x-api-key': ['secret-key'] } }),
  ], options());
  assert.equal(result.calls.length, 3);
  const [old, full, bare] = result.calls;
  assert.deepEqual([old!.method, old!.statusCode, old!.route, old!.durationMs, old!.timeUnixMs, old!.error], ['POST', 404, '/orders/{id}/items', 17.5, 1790000000123, false]);
  assert.deepEqual([full!.method, full!.statusCode, full!.route, full!.durationMs], ['_OTHER', 0, '/carts/{id}', 8]);
  assert.equal(bare!.service, 'unknown', 'no service.name on the resource');
  assert.equal(bare!.route, 'unknown', 'no route or path attribute at all');
  assert.equal(bare!.durationMs, null, 'untimed');
  assert.match(bare!.consumer ?? '', /^key:[0-9a-f]{12}$/, 'a credential names its holder by digest only');
});

test('an http.route from one record names the raw paths of the same service in later ones', () => {
  const result = logRecordsToApiCalls([
    record({ attributes: { 'http.request.method': 'GET', 'http.route': '/accounts/:account', 'http.response.status_code': 200 } }),
    record({ attributes: { 'http.request.method': 'GET', 'url.path': '/accounts/acme', 'http.response.status_code': 200 } }),
  ], options());
  assert.deepEqual(result.calls.map((c) => c.route), ['/accounts/:account', '/accounts/:account']);
});

test('a structured body counts through its semantic-convention keys only, flattened one level', () => {
  const result = logRecordsToApiCalls([
    record({ body: { http: { request: 'ignored', route: '/a/{b}' }, 'http.request.method': 'DELETE', 'http.response.status_code': 204 } }),
    record({ body: { 'http.method': 'GET', 'http.status_code': 200 }, attributes: { 'http.status_code': 500 } }),
    record({ body: { method: 'GET', status: 200, path: '/x' } }),
  ], options());
  assert.equal(result.ignored, 1, '{method, status} is not semantic-convention: an application log');
  assert.deepEqual(result.calls.map((c) => [c.method, c.route, c.statusCode]), [['DELETE', '/a/{b}', 204], ['GET', 'unknown', 500]]);
});

test('application logs are ignored, never rejected', () => {
  const result = logRecordsToApiCalls([
    record({ body: 'Server listening on port 8080' }),
    record({ body: '{"level":30,"msg":"cache warmed","ms":12}' }),
    record({ body: '{not json' }),
    record({ body: { event: 'login', user: 'bob' } }),
    record({ body: 42 }),
    record({ body: '' }),
    record({ attributes: { 'http.route': '/only/a/route', 'url.path': '/only/a/route' } }),
    record(),
  ], options());
  assert.deepEqual(result, { calls: [], ignored: 8, rejected: 0, errors: [] });
});

test('gateway lines in the body are recognised: nginx-timed, nginx combined, Envoy, Kong and Traefik JSON', () => {
  const [timed] = nginxTimedLines(1, Date.UTC(2026, 10, 26, 10));
  const combined = timed!.line.replace(/ [\d.]+ [\d.]+$/, '');
  const envoy = '[2026-11-26T10:00:00.500Z] "GET /api/items/77 HTTP/1.1" 200 - 0 15 12 10 "-" "curl/8" "req-1" "shop" "10.0.0.1:80"';
  const kong = JSON.stringify({
    request: { method: 'PUT', uri: '/v2/carts/5?x=1', url: 'http://kong/v2/carts/5', headers: {} }, response: { status: 201, headers: {} },
    latencies: { request: 31, kong: 1, proxy: 29 }, started_at: 1795000000000, service: { name: 'carts' }, consumer: { username: 'web' },
  });
  const traefik = JSON.stringify({ StartUTC: '2026-11-26T10:00:01Z', Duration: 2_500_000, RequestMethod: 'GET', RequestPath: '/health', DownstreamStatus: 200, ServiceName: 'edge@docker' });
  const result = logRecordsToApiCalls([
    record({ body: `${timed!.line}\n`, traceId: TRACE_ID, spanId: SPAN_ID, attributes: { 'enduser.id': 'carol' } }),
    record({ body: combined }),
    record({ body: envoy }),
    record({ resource: {}, body: kong }),
    record({ resource: {}, body: traefik }),
  ], options());
  assert.equal(result.rejected + result.ignored, 0, JSON.stringify(result.errors));
  const [a, b, c, d, e] = result.calls;
  assert.deepEqual([a!.service, a!.method, a!.route, a!.statusCode, a!.durationMs, a!.timeUnixMs], ['shop', timed!.method, timed!.route, timed!.status, timed!.durationMs, timed!.startMs]);
  assert.deepEqual([a!.traceId, a!.spanId, a!.consumer, a!.source], [TRACE_ID, SPAN_ID, 'carol', 'gateway']);
  assert.equal(b!.durationMs, null, 'combined has no $request_time');
  assert.deepEqual([c!.route, c!.durationMs], ['/api/items/{id}', 12]);
  assert.deepEqual([d!.service, d!.method, d!.route, d!.statusCode, d!.durationMs, d!.consumer], ['carts', 'PUT', '/v2/carts/{id}', 201, 31, 'web']);
  assert.deepEqual([e!.method, e!.route, e!.durationMs], ['GET', '/health', 2.5]);
});

test('detection remembers a winner per log file, so combined lines in one file do not strip timings from another', () => {
  const lines = nginxTimedLines(6, Date.UTC(2026, 10, 26, 10));
  const records = lines.map((l, i) => record({
    recordIndex: i,
    body: i % 2 === 0 ? l.line.replace(/ [\d.]+ [\d.]+$/, '') : l.line,
    attributes: { 'log.file.name': i % 2 === 0 ? 'old.log' : 'access.log' },
  }));
  const result = logRecordsToApiCalls(records, options());
  assert.deepEqual(result.calls.map((c) => c.durationMs), lines.map((l, i) => (i % 2 === 0 ? null : l.durationMs)));
});

test('telltale.log.format makes a record claim to be an access log: a line that does not parse is rejected with its place', () => {
  const [line] = nginxTimedLines(1, Date.UTC(2026, 10, 26, 10));
  const formatted: Attributes = { 'service.name': 'shop', 'telltale.log.format': 'nginx-timed' };
  const result = logRecordsToApiCalls([
    record({ resource: formatted, body: line!.line }),
    record({ resource: formatted, resourceIndex: 1, scopeIndex: 2, recordIndex: 3, body: 'Server listening on port 8080' }),
    record({ resource: formatted, body: { message: 'structured' } }),
    record({ resource: formatted }),
    record({ attributes: { 'telltale.log.format': 'apache' }, body: line!.line }),
    record({ attributes: { 'telltale.log.format': 'kong' }, body: { request: { method: 'GET', uri: '/k/1' }, response: { status: 200 }, latencies: { request: 5 }, started_at: 1795000000000 } }),
  ], options());
  assert.equal(result.calls.length, 2, 'the good line and the structured Kong body');
  assert.equal(result.calls[1]!.route, '/k/{id}');
  assert.equal(result.rejected, 4);
  assert.equal(result.ignored, 0);
  assert.match(result.errors[0]!, /^resourceLogs\[1\]\.scopeLogs\[2\]\.logRecords\[3\]: telltale\.log\.format nginx-timed: /);
  assert.match(result.errors[1]!, /not a text line/);
  assert.match(result.errors[2]!, /no body/);
  assert.match(result.errors[3]!, /unknown format "apache"/);
});

test('an attribute record with no time at all is rejected', () => {
  const result = logRecordsToApiCalls([record({ timeUnixNano: '0', observedTimeUnixNano: '0', attributes: STABLE })], options());
  assert.equal(result.rejected, 1);
  assert.match(result.errors[0]!, /both unset/);
});

test('ids: the same record gets the same id in every request; any identifying difference changes it', () => {
  const base = record({ attributes: STABLE, body: 'GET done' });
  const idOf = (r: LogRecordInput) => logRecordsToApiCalls([r], options()).calls[0]!.id;
  const id = idOf(base);
  assert.equal(idOf(record({ attributes: { ...STABLE }, body: 'GET done' })), id, 'a re-sent record');
  const twice = logRecordsToApiCalls([base, base], options());
  assert.equal(twice.calls[0]!.id, twice.calls[1]!.id, 'two byte-identical records at the same nanosecond count once');
  const variants = [
    record({ attributes: STABLE, body: 'GET done.' }),
    record({ attributes: { ...STABLE, extra: 1 }, body: 'GET done' }),
    record({ attributes: STABLE, body: 'GET done', timeUnixNano: '1790000000123456790' }),
    record({ attributes: STABLE, body: 'GET done', observedTimeUnixNano: '1' }),
    record({ attributes: STABLE, body: 'GET done', resource: { 'service.name': 'shop', 'host.name': 'b' } }),
    record({ attributes: STABLE, body: 'GET done', traceId: TRACE_ID }),
  ];
  assert.equal(new Set([id, ...variants.map(idOf)]).size, variants.length + 1);
});

test('routes per service are capped through the route book, as for every source', () => {
  const result = logRecordsToApiCalls(['/a', '/b', '/c', '/a'].map((path) => record({ attributes: { 'http.method': 'GET', 'http.status_code': 200, 'url.path': path } })), options(2));
  assert.deepEqual(result.calls.map((c) => c.route), ['/a', '/b', OVERFLOW_ROUTE, '/a']);
});
