// OTLP/HTTP conformance of POST /v1/logs against a running Telltale: encodings, partial success,
// 400/401/403/413/415/503, gzip, empty and duplicate requests, and the discard counters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { startTelltale, type TestTelltale } from '../helpers/telltale.ts';
import { nginxTimedLines } from '../helpers/nginx-lines.ts';
import { JSON_TYPE, PROTOBUF, callCount, decodeStatus, discarded as discardedBy, postOtlp } from '../helpers/otlp-http.ts';


type Attributes = Record<string, string | number>;

/** Log records made by the SDK, serialized by its own encoders. */
async function sdkBodies(resource: Attributes, records: Array<{ body?: string; attributes?: Attributes }>) {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ resource: resourceFromAttributes(resource), processors: [new SimpleLogRecordProcessor({ exporter: memory })] });
  const logger = provider.getLogger('test');
  const start = Date.now() - 10 * 60_000;
  records.forEach((r, i) => logger.emit({ timestamp: start + i, observedTimestamp: start + i, ...r }));
  await provider.forceFlush();
  const finished = memory.getFinishedLogRecords();
  await provider.shutdown();
  return { protobuf: Buffer.from(ProtobufLogsSerializer.serializeRequest(finished)!), json: Buffer.from(JsonLogsSerializer.serializeRequest(finished)!) };
}

const httpRecord = (i: number) => ({ attributes: { 'http.request.method': 'GET', 'http.route': '/items/{id}', 'url.path': `/items/${i}`, 'http.response.status_code': 200, duration_ms: 5 + i } });

const post = (telltale: TestTelltale, body: Buffer | string, headers: Record<string, string>, token?: string, base?: string) =>
  postOtlp(telltale, body, { path: '/v1/logs', headers, token, base });
const discarded = (telltale: TestTelltale, reason: string) => discardedBy(telltale, 'otlp_logs', reason);

test('JSON and protobuf are answered 200 in their own encoding, on both ports, and stored', async (t) => {
  const telltale = await startTelltale(t);
  const a = await sdkBodies({ 'service.name': 'svc-a' }, [httpRecord(1), httpRecord(2), { body: 'just an app log' }]);
  const json = await post(telltale, a.json, { 'content-type': JSON_TYPE }, undefined, telltale.url);
  assert.equal(json.status, 200);
  assert.match(json.type, /^application\/json/);
  assert.deepEqual(JSON.parse(json.bytes.toString()), {}, 'an ignored app log is no partial success');
  const b = await sdkBodies({ 'service.name': 'svc-b' }, [httpRecord(1), httpRecord(2), httpRecord(3)]);
  const proto = await post(telltale, b.protobuf, { 'content-type': PROTOBUF });
  assert.equal(proto.status, 200);
  assert.match(proto.type, /^application\/x-protobuf/);
  assert.equal(proto.bytes.length, 0, 'full success is an empty ExportLogsServiceResponse');
  assert.equal(await callCount(telltale, 'svc-a'), 2);
  assert.equal(await callCount(telltale, 'svc-b'), 3);
});

test('gzip bodies are accepted; content type parameters are ignored', async (t) => {
  const telltale = await startTelltale(t);
  const bodies = await sdkBodies({ 'service.name': 'svc-gzip' }, [httpRecord(1), httpRecord(2)]);
  assert.equal((await post(telltale, gzipSync(bodies.json), { 'content-type': 'application/json; charset=utf-8', 'content-encoding': 'gzip' })).status, 200);
  const other = await sdkBodies({ 'service.name': 'svc-gzip' }, [httpRecord(3)]);
  assert.equal((await post(telltale, gzipSync(other.protobuf), { 'content-type': PROTOBUF, 'content-encoding': 'gzip' })).status, 200);
  assert.equal(await callCount(telltale, 'svc-gzip'), 3);
});

test('a line that does not parse under an explicit telltale.log.format is a partial success; the good lines are kept', async (t) => {
  const telltale = await startTelltale(t);
  const lines = nginxTimedLines(3, Math.floor((Date.now() - 10 * 60_000) / 1000) * 1000).map((l) => l.line);
  const records = [{ body: lines[0]! }, { body: 'GET /broken' }, { body: lines[1]! }, { body: lines[2]! }];
  const bodies = await sdkBodies({ 'service.name': 'svc-partial', 'telltale.log.format': 'nginx-timed' }, records);

  const json = await post(telltale, bodies.json, { 'content-type': JSON_TYPE });
  assert.equal(json.status, 200);
  const answer = JSON.parse(json.bytes.toString());
  assert.equal(answer.partialSuccess.rejectedLogRecords, '1');
  assert.match(answer.partialSuccess.errorMessage, /^resourceLogs\[0\]\.scopeLogs\[0\]\.logRecords\[1\]: telltale\.log\.format nginx-timed: /);

  const proto = await post(telltale, bodies.protobuf, { 'content-type': PROTOBUF });
  assert.equal(proto.status, 200);
  const response = ProtobufLogsSerializer.deserializeResponse(new Uint8Array(proto.bytes));
  assert.equal(response.partialSuccess?.rejectedLogRecords, 1);
  assert.match(response.partialSuccess?.errorMessage ?? '', /logRecords\[1\]/);

  assert.equal(await callCount(telltale, 'svc-partial'), 3, 'the same three lines, stored once');
  assert.equal(await discarded(telltale, 'invalid_line'), 2);
});

test('undecodable bodies are 400 with a google.rpc.Status in the request encoding', async (t) => {
  const telltale = await startTelltale(t);
  const { protobuf, json } = await sdkBodies({ 'service.name': 'svc-bad' }, [httpRecord(1), httpRecord(2)]);
  const cut = await post(telltale, protobuf.subarray(0, protobuf.length - 5), { 'content-type': PROTOBUF });
  assert.equal(cut.status, 400);
  assert.match(cut.type, /^application\/x-protobuf/);
  const status = decodeStatus(cut.bytes);
  assert.equal(status.code, 3);
  assert.match(status.message, /ExportLogsServiceRequest/);

  const badJson = await post(telltale, '{"resourceLogs": [', { 'content-type': JSON_TYPE });
  assert.equal(badJson.status, 400);
  assert.equal(JSON.parse(badJson.bytes.toString()).code, 3);
  assert.equal((await post(telltale, protobuf, { 'content-type': JSON_TYPE })).status, 400);
  assert.equal((await post(telltale, json, { 'content-type': JSON_TYPE, 'content-encoding': 'gzip' })).status, 400);
  assert.equal(await discarded(telltale, 'undecodable'), 4);
  assert.equal(await callCount(telltale, 'svc-bad'), 0);
});

test('unsupported content types and encodings are 415', async (t) => {
  const telltale = await startTelltale(t);
  const text = await post(telltale, 'hello', { 'content-type': 'text/plain' });
  assert.equal(text.status, 415);
  assert.equal(JSON.parse(text.bytes.toString()).code, 12);
  assert.equal((await post(telltale, '{}', { 'content-type': JSON_TYPE, 'content-encoding': 'br' })).status, 415);
  assert.equal(await discarded(telltale, 'unsupported_media'), 2);
});

test('bodies over the limit are 413, including a gzip bomb that inflates past it', async (t) => {
  const telltale = await startTelltale(t, { maxBodyBytes: 64 * 1024 });
  const { json } = await sdkBodies({ 'service.name': 'svc-big' }, [{ body: 'x'.repeat(100 * 1024) }]);
  const raw = await post(telltale, json, { 'content-type': JSON_TYPE });
  assert.equal(raw.status, 413);
  assert.equal(JSON.parse(raw.bytes.toString()).code, 8);
  const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, ' '));
  assert.ok(bomb.length < 64 * 1024, 'the bomb itself is under the limit');
  const inflated = await post(telltale, bomb, { 'content-type': PROTOBUF, 'content-encoding': 'gzip' });
  assert.equal(inflated.status, 413);
  assert.equal(decodeStatus(inflated.bytes).code, 8);
  assert.equal(await discarded(telltale, 'too_large'), 2);
});

test('empty requests are 200', async (t) => {
  const telltale = await startTelltale(t);
  assert.equal((await post(telltale, '{}', { 'content-type': JSON_TYPE })).status, 200);
  assert.equal((await post(telltale, '{"resourceLogs":[]}', { 'content-type': JSON_TYPE })).status, 200);
  const proto = await post(telltale, Buffer.alloc(0), { 'content-type': PROTOBUF });
  assert.equal(proto.status, 200);
  assert.equal(proto.bytes.length, 0);
});

test('the same request sent again is stored once, in either encoding', async (t) => {
  const telltale = await startTelltale(t);
  const lines = nginxTimedLines(4, Math.floor((Date.now() - 10 * 60_000) / 1000) * 1000).map((l) => ({ body: l.line }));
  const bodies = await sdkBodies({ 'service.name': 'svc-dup' }, [...lines, httpRecord(1), httpRecord(2)]);
  for (let i = 0; i < 2; i++) {
    assert.equal((await post(telltale, bodies.json, { 'content-type': JSON_TYPE })).status, 200);
    assert.equal((await post(telltale, bodies.protobuf, { 'content-type': PROTOBUF }, undefined, telltale.url)).status, 200);
  }
  assert.equal(await callCount(telltale, 'svc-dup'), 6);
});

test('a full ingest queue answers 503 with Retry-After and stores nothing of that request', async (t) => {
  const telltale = await startTelltale(t, { ingestQueueMax: 3 });
  const { json, protobuf } = await sdkBodies({ 'service.name': 'svc-full' }, [1, 2, 3, 4].map(httpRecord));
  const response = await post(telltale, json, { 'content-type': JSON_TYPE });
  assert.equal(response.status, 503);
  assert.equal(response.retryAfter, '1');
  assert.equal(JSON.parse(response.bytes.toString()).code, 14);
  const proto = await post(telltale, protobuf, { 'content-type': PROTOBUF });
  assert.equal(proto.status, 503);
  assert.equal(decodeStatus(proto.bytes).code, 14);
  assert.equal(await callCount(telltale, 'svc-full'), 0);
  assert.equal(await discarded(telltale, 'overloaded'), 8);
});

test('ingest needs an ingest token: 401 without, 403 with a read token, in OTLP Status form', async (t) => {
  const telltale = await startTelltale(t);
  const { json, protobuf } = await sdkBodies({ 'service.name': 'svc-auth' }, [httpRecord(1)]);
  const missing = await post(telltale, json, { 'content-type': JSON_TYPE }, '');
  assert.equal(missing.status, 401);
  assert.equal(JSON.parse(missing.bytes.toString()).code, 16);
  assert.equal((await post(telltale, json, { 'content-type': JSON_TYPE }, telltale.tokens.read)).status, 403);
  const proto = await post(telltale, protobuf, { 'content-type': PROTOBUF }, '', telltale.url);
  assert.equal(proto.status, 401);
  assert.equal(decodeStatus(proto.bytes).code, 16);
  assert.equal(await callCount(telltale, 'svc-auth'), 0);
});
