// OTLP/HTTP conformance of the trace receiver against a running Telltale: status codes,
// body encodings, partial success, gzip, limits, duplicates, auth, and discard counters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { startTelltale, type TestTelltale } from '../helpers/telltale.ts';
import { jsonRequest, jsonSpan } from '../helpers/otlp-json.ts';
import { protobufRequest } from '../helpers/otlp-protobuf.ts';
import { JSON_TYPE, PROTOBUF, callCount, decodeStatus, discarded as discardedBy, postOtlp } from '../helpers/otlp-http.ts';

const post = (telltale: TestTelltale, body: Buffer | string, headers: Record<string, string>, token?: string) =>
  postOtlp(telltale, body, { path: '/v1/traces', headers, token });
const discarded = (telltale: TestTelltale, reason: string) => discardedBy(telltale, 'otlp_traces', reason);

test('JSON and protobuf requests are answered 200 in their own encoding and stored', async (t) => {
  const telltale = await startTelltale(t);
  const json = await post(telltale, jsonRequest('svc-json', [jsonSpan(), jsonSpan()]), { 'content-type': JSON_TYPE });
  assert.equal(json.status, 200);
  assert.match(json.type, /^application\/json/);
  assert.deepEqual(JSON.parse(json.bytes.toString()), {});

  const proto = await post(telltale, await protobufRequest('svc-proto', 5), { 'content-type': PROTOBUF });
  assert.equal(proto.status, 200);
  assert.match(proto.type, /^application\/x-protobuf/);
  assert.equal(proto.bytes.length, 0, 'full success is an empty ExportTraceServiceResponse');

  assert.equal(await callCount(telltale, 'svc-json'), 2);
  assert.equal(await callCount(telltale, 'svc-proto'), 5);
});

test('gzip bodies are accepted; content type parameters are ignored', async (t) => {
  const telltale = await startTelltale(t);
  const body = gzipSync(jsonRequest('svc-gzip', [jsonSpan(), jsonSpan(), jsonSpan()]));
  const response = await post(telltale, body, { 'content-type': 'application/json; charset=utf-8', 'content-encoding': 'gzip' });
  assert.equal(response.status, 200);
  const proto = await post(telltale, gzipSync(await protobufRequest('svc-gzip', 4)), { 'content-type': PROTOBUF, 'content-encoding': 'gzip' });
  assert.equal(proto.status, 200);
  assert.equal(await callCount(telltale, 'svc-gzip'), 7);
});

test('a bad span gets partial success; the good spans of the batch are kept', async (t) => {
  const telltale = await startTelltale(t);
  const body = jsonRequest('svc-partial', [jsonSpan(), jsonSpan({ traceId: '0'.repeat(32) }), jsonSpan()]);
  const response = await post(telltale, body, { 'content-type': JSON_TYPE });
  assert.equal(response.status, 200);
  const answer = JSON.parse(response.bytes.toString());
  assert.equal(Number(answer.partialSuccess.rejectedSpans), 1);
  assert.match(answer.partialSuccess.errorMessage, /traceId/);
  assert.equal(await callCount(telltale, 'svc-partial'), 2);
  assert.equal(await discarded(telltale, 'invalid_span'), 1);
});

test('undecodable bodies are 400 with a google.rpc.Status in the request encoding, never 500', async (t) => {
  const telltale = await startTelltale(t);
  const valid = await protobufRequest('svc-bad', 3);
  const cut = await post(telltale, valid.subarray(0, valid.length - 7), { 'content-type': PROTOBUF });
  assert.equal(cut.status, 400);
  assert.match(cut.type, /^application\/x-protobuf/);
  const status = decodeStatus(cut.bytes);
  assert.equal(status.code, 3);
  assert.match(status.message, /decode/);

  const badJson = await post(telltale, '{"resourceSpans": [', { 'content-type': JSON_TYPE });
  assert.equal(badJson.status, 400);
  assert.equal(JSON.parse(badJson.bytes.toString()).code, 3);

  const jsonAsProto = await post(telltale, jsonRequest('svc-bad', [jsonSpan()]), { 'content-type': PROTOBUF });
  assert.ok([200, 400].includes(jsonAsProto.status), `JSON labelled protobuf: ${jsonAsProto.status}`);
  const protoAsJson = await post(telltale, valid, { 'content-type': JSON_TYPE });
  assert.equal(protoAsJson.status, 400);

  const notGzip = await post(telltale, jsonRequest('svc-bad', [jsonSpan()]), { 'content-type': JSON_TYPE, 'content-encoding': 'gzip' });
  assert.equal(notGzip.status, 400);
  assert.ok(await discarded(telltale, 'undecodable') >= 4);
  assert.equal(await callCount(telltale, 'svc-bad'), 0);
});

test('unsupported content types and encodings are 415', async (t) => {
  const telltale = await startTelltale(t);
  const text = await post(telltale, 'hello', { 'content-type': 'text/plain' });
  assert.equal(text.status, 415);
  assert.equal(JSON.parse(text.bytes.toString()).code, 12);
  const brotli = await post(telltale, jsonRequest('x', [jsonSpan()]), { 'content-type': JSON_TYPE, 'content-encoding': 'br' });
  assert.equal(brotli.status, 415);
  assert.equal(await discarded(telltale, 'unsupported_media'), 2);
});

test('bodies over the limit are 413, including a gzip bomb that inflates past it', async (t) => {
  const telltale = await startTelltale(t, { maxBodyBytes: 64 * 1024 });
  const big = jsonRequest('svc-big', [jsonSpan({ attributes: { 'http.route': '/x', blob: 'a'.repeat(100 * 1024) } })]);
  const raw = await post(telltale, big, { 'content-type': JSON_TYPE });
  assert.equal(raw.status, 413);
  assert.equal(JSON.parse(raw.bytes.toString()).code, 8);
  const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, ' '));
  assert.ok(bomb.length < 64 * 1024, 'the bomb itself is under the limit');
  const inflated = await post(telltale, bomb, { 'content-type': JSON_TYPE, 'content-encoding': 'gzip' });
  assert.equal(inflated.status, 413);
  assert.equal(await discarded(telltale, 'too_large'), 2);
});

test('empty requests are 200', async (t) => {
  const telltale = await startTelltale(t);
  assert.equal((await post(telltale, '{}', { 'content-type': JSON_TYPE })).status, 200);
  assert.equal((await post(telltale, Buffer.alloc(0), { 'content-type': PROTOBUF })).status, 200);
});

test('the same batch sent twice is stored once', async (t) => {
  const telltale = await startTelltale(t);
  const body = jsonRequest('svc-dup', [jsonSpan(), jsonSpan(), jsonSpan()]);
  const proto = await protobufRequest('svc-dup', 4);
  for (let i = 0; i < 2; i++) {
    assert.equal((await post(telltale, body, { 'content-type': JSON_TYPE })).status, 200);
    assert.equal((await post(telltale, proto, { 'content-type': PROTOBUF })).status, 200);
  }
  assert.equal(await callCount(telltale, 'svc-dup'), 7);
});

test('a full ingest queue answers 503 with Retry-After and stores nothing of that batch', async (t) => {
  const telltale = await startTelltale(t, { ingestQueueMax: 3 });
  const response = await post(telltale, jsonRequest('svc-full', [jsonSpan(), jsonSpan()]), { 'content-type': JSON_TYPE });
  assert.equal(response.status, 503);
  assert.equal(response.retryAfter, '1');
  assert.equal(JSON.parse(response.bytes.toString()).code, 14);
  assert.equal(await callCount(telltale, 'svc-full'), 0);
  assert.equal(await discarded(telltale, 'overloaded'), 2);
});

test('ingest needs an ingest token: 401 without, 403 with a read token, in OTLP Status form', async (t) => {
  const telltale = await startTelltale(t);
  const body = jsonRequest('svc-auth', [jsonSpan()]);
  const missing = await post(telltale, body, { 'content-type': JSON_TYPE }, '');
  assert.equal(missing.status, 401);
  assert.equal(JSON.parse(missing.bytes.toString()).code, 16);
  const wrongScope = await post(telltale, body, { 'content-type': JSON_TYPE }, telltale.tokens.read);
  assert.equal(wrongScope.status, 403);
  const proto = await post(telltale, await protobufRequest('svc-auth', 1), { 'content-type': PROTOBUF }, 'nope');
  assert.equal(proto.status, 401);
  assert.equal(decodeStatus(proto.bytes).code, 16);
  assert.equal(await callCount(telltale, 'svc-auth'), 0);
});

test('credentials in span attributes and URLs never reach the store', async (t) => {
  const telltale = await startTelltale(t);
  const traceId = 'ab'.repeat(16);
  const span = jsonSpan({ traceId, attributes: {
    'http.request.method': 'GET', 'http.route': '/files/{id}', 'http.response.status_code': 200,
    'http.request.header.authorization': 'Bearer very-secret', 'url.full': 'https://u:p@files.example.com/files/1?X-Amz-Signature=deadbeef&v=2',
  } });
  assert.equal((await post(telltale, jsonRequest('svc-secret', [span]), { 'content-type': JSON_TYPE })).status, 200);
  const { body } = await telltale.get(`/api/v1/traces/${traceId}`);
  const text = JSON.stringify(body);
  assert.ok(!text.includes('very-secret') && !text.includes('deadbeef') && !text.includes('u:p@'), text);
  assert.equal(body.spans[0].attributes['http.request.header.authorization'], '[redacted]');
  assert.match(body.spans[0].attributes['url.full'], /X-Amz-Signature=\[redacted\]&v=2$/);
});
