import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spansToApiCalls, type NormalizeOptions } from '../../collector/normalize.ts';
import { decodeTracesProtobuf } from '../../collector/otlp/decode.ts';
import type { Attributes, SpanRecord } from '../../store/index.ts';
import { buildSdkFixture } from './fixtures/sdk-spans.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const OPTIONS: NormalizeOptions = { consumerAttributes: ['enduser.id', 'http.request.header.x-api-key'] };

function span(attributes: Attributes, overrides: Partial<SpanRecord> = {}): SpanRecord {
  return {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    parentSpanId: null,
    service: 'shop',
    name: 'span',
    kind: 2,
    startTimeUnixNano: '1700000000123456789',
    endTimeUnixNano: '1700000000223456789',
    durationMs: 100,
    statusCode: 0,
    statusMessage: '',
    attributes,
    resource: { 'service.name': 'shop' },
    events: [],
    ...overrides,
  };
}

function call(attributes: Attributes, overrides: Partial<SpanRecord> = {}, options: NormalizeOptions = OPTIONS) {
  const calls = spansToApiCalls([span(attributes, overrides)], options);
  assert.equal(calls.length, 1);
  return calls[0]!;
}

test('a server span with stable attribute names', () => {
  assert.deepEqual(call({ 'http.request.method': 'GET', 'http.route': '/users/{id}', 'url.path': '/users/42', 'http.response.status_code': 200, 'enduser.id': 'u-1' }), {
    id: '0af7651916cd43dd8448eb211c80319cb7ad6b7169203331',
    timeUnixMs: 1700000000123,
    service: 'shop',
    method: 'GET',
    route: '/users/{id}',
    statusCode: 200,
    durationMs: 100,
    source: 'trace',
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    consumer: 'u-1',
    error: false,
  });
});

test('old attribute names, and stable names winning when both are sent', () => {
  const old = call({ 'http.method': 'post', 'http.target': '/orders/12345?expand=items', 'http.status_code': '201' });
  assert.equal(old.method, 'POST');
  assert.equal(old.route, '/orders/{id}');
  assert.equal(old.statusCode, 201);

  const mixed = call({ 'http.request.method': 'PUT', 'http.method': 'GET', 'http.response.status_code': 204, 'http.status_code': 500, 'url.path': '/a/1', 'http.target': '/b/2' });
  assert.equal(mixed.method, 'PUT');
  assert.equal(mixed.statusCode, 204);
  assert.equal(mixed.route, '/a/{id}');
  assert.equal(mixed.error, false);
});

test('route sources in order: http.route, url.path, http.target, url.full / http.url, the span name, unknown', () => {
  assert.equal(call({ 'http.route': '/r/{id}', 'url.path': '/p/1' }).route, '/r/{id}');
  assert.equal(call({ 'url.path': '/p/1', 'http.target': '/t/2' }).route, '/p/{id}');
  assert.equal(call({ 'http.target': '/t/2?x=1' }).route, '/t/{id}');
  assert.equal(call({ 'url.full': 'https://user:pw@api.example:8443/v1/items/99?sig=abc#frag' }).route, '/v1/items/{id}');
  assert.equal(call({ 'http.url': 'http://api.example?x=1' }).route, '/');
  assert.equal(call({ 'http.method': 'GET' }, { name: 'GET /things/123' }).route, '/things/{id}');
  assert.equal(call({ 'http.method': 'GET' }, { name: 'GET' }).route, 'unknown');
  assert.equal(call({ 'http.method': 'GET', 'url.full': 'not a url' }, { name: 'HTTP GET' }).route, 'unknown');
});

test('methods are upper-cased; unknown or missing ones are _OTHER', () => {
  const methods: [unknown, string][] = [['get', 'GET'], ['Patch', 'PATCH'], ['QUERY', 'QUERY'], ['PROPFIND', '_OTHER'], ['_OTHER', '_OTHER'], [42, '_OTHER'], [undefined, '_OTHER']];
  for (const [method, expected] of methods) {
    const attributes: Attributes = { 'url.path': '/x' };
    if (method !== undefined) attributes['http.request.method'] = method as string;
    assert.equal(call(attributes).method, expected, String(method));
  }
});

test('status codes: numbers and numeric strings; anything else is 0', () => {
  const codes: [unknown, number][] = [[404, 404], ['503', 503], [' 200 ', 200], ['abc', 0], [99, 0], [600, 0], [200.5, 0], [true, 0]];
  for (const [code, expected] of codes) {
    assert.equal(call({ 'http.request.method': 'GET', 'http.response.status_code': code as number }).statusCode, expected, String(code));
  }
});

test('errors: 5xx always, a server 4xx never, and the span verdict only without a status code', () => {
  assert.equal(call({ 'http.request.method': 'GET', 'http.response.status_code': 503 }).error, true);
  assert.equal(call({ 'http.request.method': 'GET', 'http.response.status_code': 404 }, { statusCode: 2 }).error, false);
  assert.equal(call({ 'http.request.method': 'GET', 'http.response.status_code': 200, 'error.type': 'timeout' }).error, false);
  assert.equal(call({ 'http.request.method': 'GET' }, { statusCode: 2 }).error, true);
  assert.equal(call({ 'http.request.method': 'GET', 'error.type': 'java.net.SocketTimeoutException' }).error, true);
  assert.equal(call({ 'http.request.method': 'GET' }, { statusCode: 1 }).error, false);
});

test('which spans become calls: server spans, and HTTP root spans of other kinds', () => {
  const spans = [
    span({ 'http.request.method': 'GET', 'url.full': 'https://x.example/a' }, { kind: 3, spanId: '0000000000000001' }),
    span({ 'http.request.method': 'GET', 'url.full': 'https://x.example/a' }, { kind: 3, spanId: '0000000000000002', parentSpanId: 'b7ad6b7169203331' }),
    span({}, { kind: 1, spanId: '0000000000000003' }),
    span({ 'db.system': 'postgresql' }, { kind: 3, spanId: '0000000000000004' }),
    span({ 'rpc.system': 'grpc' }, { kind: 2, spanId: '0000000000000005', parentSpanId: 'b7ad6b7169203331', name: 'grpc.health.v1.Health/Check' }),
    span({ 'http.response.status_code': 200 }, { kind: 0, spanId: '0000000000000006' }),
  ];
  const calls = spansToApiCalls(spans, OPTIONS);
  assert.deepEqual(calls.map((c) => c.spanId), ['0000000000000001', '0000000000000005', '0000000000000006']);
  const grpc = calls[1]!;
  assert.equal(grpc.method, '_OTHER');
  assert.equal(grpc.route, 'grpc.health.v1.Health/Check');
  assert.equal(grpc.statusCode, 0);
  assert.equal(grpc.error, false);
});

test('a client root span with HTTP attributes and a 4xx', () => {
  const client = call({ 'http.request.method': 'DELETE', 'url.full': 'https://api.example/carts/7', 'http.response.status_code': 409 }, { kind: 3 });
  assert.equal(client.route, '/carts/{id}');
  assert.equal(client.statusCode, 409);
  assert.equal(client.error, false, 'ApiCall.error counts server errors only');
});

test('non-HTTP server spans named like paths are templated, long names cut', () => {
  assert.equal(call({}, { name: '/jobs/123/run' }).route, '/jobs/{id}/run');
  assert.equal(call({}, { name: 'GET /items/5' }).route, '/items/{id}');
  assert.equal(call({}, { name: '' }).route, 'unknown');
  assert.equal(call({}, { name: 'x'.repeat(1000) }).route.length, 256);
});

test('consumer: the first present configured attribute, stringified', () => {
  assert.equal(call({ 'http.request.header.x-api-key': ['key-1'], 'enduser.id': 'u-9' }).consumer, 'u-9');
  assert.equal(call({ 'http.request.header.x-api-key': ['key-1'] }).consumer, `key:${sha256('key-1').slice(0, 12)}`, 'API keys are stored as a digest');
  assert.equal(call({ 'http.request.header.x-api-key': ['a', 'b'] }).consumer, `key:${sha256('a,b').slice(0, 12)}`);
  assert.equal(call({ 'enduser.id': '', 'http.request.header.x-api-key': [] }).consumer, null);
  assert.equal(call({ 'enduser.id': 12345 }).consumer, '12345');
  assert.equal(call({ 'enduser.id': 'u' }, {}, { consumerAttributes: [] }).consumer, null);
  assert.equal(call({ 'enduser.id': 'u'.repeat(1000) }).consumer?.length, 256);
  assert.equal(call({ 'client.address': '10.0.0.1', 'enduser.id': 'u' }, {}, { consumerAttributes: ['client.address', 'enduser.id'] }).consumer, '10.0.0.1');
});

test('start times floor to the millisecond exactly', () => {
  assert.equal(call({}, { startTimeUnixNano: '1700000000999999999' }).timeUnixMs, 1700000000999);
  assert.equal(call({}, { startTimeUnixNano: '999999' }).timeUnixMs, 0);
});

test('real SDK spans end to end: protobuf → spans → calls', () => {
  const fixture = buildSdkFixture();
  const calls = spansToApiCalls(decodeTracesProtobuf(fixture.protobuf).spans, OPTIONS);
  const byRoute = new Map(calls.map((c) => [c.route, c]));
  assert.equal(calls.length, 2, 'the two server spans; the client and internal spans have parents');
  const server = byRoute.get('/users/{id}')!;
  assert.equal(server.method, 'GET');
  assert.equal(server.statusCode, 200);
  assert.equal(server.consumer, 'user-7');
  assert.equal(server.timeUnixMs, 1700000000123);
  assert.equal(server.durationMs, 100);
  assert.equal(server.service, 'checkout');
  const old = byRoute.get('/orders/{id}')!;
  assert.equal(old.method, 'GET');
  assert.equal(old.statusCode, 404);
  assert.equal(old.error, false);
  assert.equal(old.durationMs, 0.005);
});
