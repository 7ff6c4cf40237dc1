// ExportLogsServiceRequest decoding: what the OpenTelemetry JS SDK's own serializers send (both
// encodings must decode to the same records), hand-built protobuf for what it never sends, the
// OTLP/JSON rules, and the response messages read back by the SDK's own response decoder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { context, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { decodeLogsJson, decodeLogsProtobuf, OtlpDecodeError, type LogRecordInput } from '../../collector/otlp/decode-logs.ts';
import { encodeLogsExportResponseProtobuf, logsExportResponseJson } from '../../collector/otlp/responses.ts';
import { any, bytesField, concat, fixed64Field, hexBytes, keyValue, stringField, varintField } from './fixtures/proto-writer.ts';

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const SPAN_ID = 'eee19b7ec3c1b174';

async function sdkRecords() {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'edge', 'telltale.log.format': 'nginx-timed' }),
    processors: [new SimpleLogRecordProcessor({ exporter: memory })],
  });
  const logger = provider.getLogger('access');
  const linked = trace.setSpanContext(context.active(), { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 });
  logger.emit({ timestamp: 1790000000123, observedTimestamp: 1790000000456, severityNumber: SeverityNumber.INFO, body: 'GET /a 200', attributes: { 'log.file.name': 'access.log', n: 3, ok: true, ratio: 0.5 }, context: linked });
  logger.emit({ timestamp: 1790000000124, body: { 'http.request.method': 'GET', nested: { list: [1, 'two', false] } } });
  logger.emit({ timestamp: 1790000000125, body: new TextEncoder().encode('raw héllo line') });
  logger.emit({ timestamp: 1790000000126, eventName: 'no.body' });
  await provider.forceFlush();
  const records = memory.getFinishedLogRecords();
  await provider.shutdown();
  return records;
}

const strip = (records: LogRecordInput[]) => records.map(({ resource, ...rest }) => ({ resource: { ...resource }, ...rest }));

test('the SDK protobuf and JSON serializers decode to the same records, field by field', async () => {
  const records = await sdkRecords();
  const protobuf = ProtobufLogsSerializer.serializeRequest(records)!;
  const json = new TextDecoder().decode(JsonLogsSerializer.serializeRequest(records));
  const fromProto = decodeLogsProtobuf(protobuf);
  const fromJson = decodeLogsJson(json);
  assert.equal(fromProto.rejectedLogRecords, 0);
  assert.deepEqual(strip(fromJson.records), strip(fromProto.records));
  const [first, structured, bytes, empty] = fromProto.records;
  assert.deepEqual(first, {
    resource: { 'service.name': 'edge', 'telltale.log.format': 'nginx-timed' }, resourceIndex: 0, scopeIndex: 0, recordIndex: 0,
    timeUnixNano: '1790000000123000000', observedTimeUnixNano: '1790000000456000000', body: 'GET /a 200',
    attributes: { 'log.file.name': 'access.log', n: 3, ok: true, ratio: 0.5 }, traceId: TRACE_ID, spanId: SPAN_ID,
  });
  assert.deepEqual(structured!.body, { 'http.request.method': 'GET', nested: { list: [1, 'two', false] } });
  assert.equal(bytes!.body, 'raw héllo line', 'a bytes body is a line of text');
  assert.equal(empty!.body, undefined);
  assert.equal(empty!.traceId, null);
  assert.ok(first.resource === structured!.resource, 'one resource object per ResourceLogs');
});

const record = (...fields: Uint8Array[]) => bytesField(2, ...fields);
const request = (resourceAttributes: Uint8Array[], ...records: Uint8Array[]) => bytesField(1,
  bytesField(1, ...resourceAttributes.map((kv) => bytesField(1, kv))),
  bytesField(2, bytesField(1, stringField(1, 'scope')), ...records),
);
const service = keyValue('service.name', any.string('svc'));

test('protobuf: bad trace context is dropped and the record kept; invalid UTF-8 is replaced; times stay exact', () => {
  const body = request([service],
    record(fixed64Field(1, 18446744073709551615n), bytesField(9, hexBytes(TRACE_ID).subarray(0, 8)), bytesField(10, new Uint8Array(8)), bytesField(5, any.string('ok'))),
    record(fixed64Field(11, 1790000000000000001n), bytesField(5, bytesField(1, [0x47, 0xff, 0x54])), stringField(12, 'event'), varintField(2, 9)),
    record(bytesField(5, any.bytes([0x61, 0xc3, 0x28, 0x62])), bytesField(9, hexBytes(TRACE_ID)), bytesField(10, hexBytes(SPAN_ID)), varintField(99, 1)),
  );
  const decoded = decodeLogsProtobuf(body);
  assert.deepEqual(decoded.errors, []);
  const [a, b, c] = decoded.records;
  assert.deepEqual([a!.timeUnixNano, a!.traceId, a!.spanId, a!.body], ['18446744073709551615', null, null, 'ok']);
  assert.deepEqual([b!.timeUnixNano, b!.observedTimeUnixNano, b!.body], ['0', '1790000000000000001', 'G\uFFFDT']);
  assert.deepEqual([c!.body, c!.traceId, c!.spanId, c!.recordIndex], ['a\uFFFD(b', TRACE_ID, SPAN_ID, 2]);
});

test('protobuf: scope logs before the resource still get it; a too-deep body rejects only its record', () => {
  let deep = any.string('bottom');
  for (let i = 0; i < 40; i++) deep = any.array(deep);
  const resourceLogs = bytesField(1,
    bytesField(2, record(bytesField(5, deep)), record(bytesField(5, any.string('fine')))),
    bytesField(1, bytesField(1, service)),
  );
  const decoded = decodeLogsProtobuf(concat(resourceLogs, resourceLogs));
  assert.equal(decoded.rejectedLogRecords, 2);
  assert.match(decoded.errors[0]!, /^resourceLogs\[0\]\.scopeLogs\[0\]\.logRecords\[0\]: attribute value nested deeper/);
  assert.deepEqual(decoded.records.map((r) => [r.resource['service.name'], r.body, r.resourceIndex]), [['svc', 'fine', 0], ['svc', 'fine', 1]]);
});

test('protobuf: broken framing throws OtlpDecodeError; an empty body is an empty request', () => {
  const valid = request([service], record(bytesField(5, any.string('x'))));
  for (let cut = 1; cut < valid.length; cut++) {
    try {
      decodeLogsProtobuf(valid.subarray(0, cut));
    } catch (error) {
      assert.ok(error instanceof OtlpDecodeError, `cut at ${cut}: ${String(error)}`);
    }
  }
  assert.throws(() => decodeLogsProtobuf(valid.subarray(0, valid.length - 3)), OtlpDecodeError);
  assert.deepEqual(decodeLogsProtobuf(new Uint8Array(0)), { records: [], rejectedLogRecords: 0, errors: [] });
});

test('JSON: int64 times exact beyond 2^53 as strings or bare numbers; hex ids; base64 bytes bodies; bad times rejected', () => {
  const body = `{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}}]},"scopeLogs":[{"logRecords":[
    {"timeUnixNano":1790000000123456789,"observedTimeUnixNano":1790000000123456790,"body":{"stringValue":"a"},"traceId":"${TRACE_ID.toUpperCase()}","spanId":"${SPAN_ID}","unknownField":1},
    {"timeUnixNano":"1790000000123456789","body":{"bytesValue":"${Buffer.from('GET / 200').toString('base64')}"},"traceId":"W47/95gDgQPSabYzgT/GDA==","spanId":"0000000000000000"},
    {"timeUnixNano":"-5","body":{"stringValue":"bad"}},
    {"observedTimeUnixNano":1.5}
  ]}]}]}`;
  const decoded = decodeLogsJson(body);
  assert.equal(decoded.rejectedLogRecords, 2);
  assert.match(decoded.errors[0]!, /logRecords\[2\]: timeUnixNano must be an unsigned integer/);
  assert.match(decoded.errors[1]!, /logRecords\[3\]: observedTimeUnixNano/);
  const [a, b] = decoded.records;
  assert.deepEqual([a!.timeUnixNano, a!.observedTimeUnixNano, a!.traceId, a!.spanId], ['1790000000123456789', '1790000000123456790', TRACE_ID, SPAN_ID]);
  assert.deepEqual([b!.body, b!.traceId, b!.spanId, b!.observedTimeUnixNano], ['GET / 200', null, null, '0']);
});

test('JSON: a body that is not an ExportLogsServiceRequest throws OtlpDecodeError; {} is empty', () => {
  for (const bad of ['', '[]', '{"resourceLogs": [', '{"resourceLogs": {}}', '{"resourceLogs": [1]}', '{"resourceLogs": [{"scopeLogs": [{"logRecords": 3}]}]}']) {
    assert.throws(() => decodeLogsJson(bad), OtlpDecodeError, bad);
  }
  assert.deepEqual(decodeLogsJson('{}'), { records: [], rejectedLogRecords: 0, errors: [] });
  assert.equal(decodeLogsJson('{"resourceLogs":[{"scopeLogs":[{"logRecords":[{}, "x"]}]}]}').rejectedLogRecords, 1);
});

test('ExportLogsServiceResponse in both encodings, read back by the SDK', () => {
  assert.equal(encodeLogsExportResponseProtobuf(0, '').length, 0);
  assert.deepEqual(ProtobufLogsSerializer.deserializeResponse(encodeLogsExportResponseProtobuf(3, 'three bad')), { partialSuccess: { rejectedLogRecords: 3, errorMessage: 'three bad' } });
  assert.deepEqual(logsExportResponseJson(0, ''), {});
  assert.deepEqual(logsExportResponseJson(2, 'why'), { partialSuccess: { rejectedLogRecords: '2', errorMessage: 'why' } });
});
