import { test } from 'node:test';
import assert from 'node:assert/strict';
// The SDK exporters' own response parsers: what a real client makes of our answers.
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { encodeExportResponseProtobuf, encodeStatusProtobuf, exportResponseJson, statusJson } from '../../collector/otlp/responses.ts';

test('a full success is an empty protobuf message and an empty JSON object', () => {
  const bytes = encodeExportResponseProtobuf(0, '');
  assert.equal(bytes.length, 0);
  assert.deepEqual(ProtobufTraceSerializer.deserializeResponse(bytes), {});
  assert.deepEqual(exportResponseJson(0, ''), {});
});

test('partial success round-trips through the SDK protobuf response parser', () => {
  for (const [rejected, message] of [[3, 'span 1: traceId must be 16 bytes'], [300, 'ünïcödé ✓'], [2 ** 40, 'many'], [5, '']] as const) {
    const parsed = ProtobufTraceSerializer.deserializeResponse(encodeExportResponseProtobuf(rejected, message));
    const expected: Record<string, unknown> = { rejectedSpans: rejected };
    if (message !== '') expected.errorMessage = message;
    assert.deepEqual(parsed.partialSuccess, expected);
  }
});

test('partial success bytes are exactly the ExportTracePartialSuccess layout', () => {
  const bytes = encodeExportResponseProtobuf(2, 'ab');
  // field 1 (LEN) { field 1 varint 2, field 2 (LEN) "ab" }
  assert.deepEqual([...bytes], [0x0a, 6, 0x08, 2, 0x12, 2, 0x61, 0x62]);
  // A warning without rejections is still sent: the specification allows it.
  assert.deepEqual([...encodeExportResponseProtobuf(0, 'w')], [0x0a, 3, 0x12, 1, 0x77]);
});

test('JSON partial success writes the int64 count as a string, and the SDK parses it', () => {
  const body = exportResponseJson(7, 'bad ids');
  assert.deepEqual(body, { partialSuccess: { rejectedSpans: '7', errorMessage: 'bad ids' } });
  const parsed = JsonTraceSerializer.deserializeResponse(new TextEncoder().encode(JSON.stringify(body)));
  assert.deepEqual(parsed, body);
});

test('google.rpc.Status bytes: code, message, and omitted defaults', () => {
  assert.deepEqual([...encodeStatusProtobuf(3, 'bad')], [0x08, 3, 0x12, 3, 0x62, 0x61, 0x64]);
  assert.deepEqual([...encodeStatusProtobuf(0, '')], []);
  assert.deepEqual([...encodeStatusProtobuf(14, '')], [0x08, 14]);
  // int32 negatives are sign-extended to ten bytes.
  assert.deepEqual([...encodeStatusProtobuf(-1, '')], [0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  const long = 'x'.repeat(300);
  const bytes = encodeStatusProtobuf(8, long);
  assert.deepEqual([...bytes.subarray(0, 5)], [0x08, 8, 0x12, 0xac, 0x02]);
  assert.equal(new TextDecoder().decode(bytes.subarray(5)), long);
});

test('JSON google.rpc.Status keeps the int32 code a number', () => {
  assert.deepEqual(statusJson(3, 'cannot decode'), { code: 3, message: 'cannot decode' });
});
