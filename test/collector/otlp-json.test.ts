import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeTracesJson, decodeTracesProtobuf, OtlpDecodeError, MAX_ATTRIBUTES, MAX_ATTRIBUTE_VALUE_BYTES, TRUNCATION_MARKER } from '../../collector/otlp/decode.ts';
import type { SpanRecord } from '../../store/index.ts';
import { buildSdkFixture } from './fixtures/sdk-spans.ts';

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const SPAN_ID = 'eee19b7ec3c1b174';

function body(spans: unknown[], resourceAttributes: unknown[] = [{ key: 'service.name', value: { stringValue: 'svc' } }]): string {
  return JSON.stringify({ resourceSpans: [{ resource: { attributes: resourceAttributes }, scopeSpans: [{ scope: { name: 's' }, spans }] }] });
}

function jsonSpan(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    traceId: TRACE_ID,
    spanId: SPAN_ID,
    name: 'GET /a',
    kind: 2,
    startTimeUnixNano: '1700000000000000000',
    endTimeUnixNano: '1700000000001000000',
    ...overrides,
  };
}

function only(text: string): SpanRecord {
  const decoded = decodeTracesJson(text);
  assert.deepEqual(decoded.errors, []);
  assert.equal(decoded.spans.length, 1);
  return decoded.spans[0]!;
}

function reason(text: string): string {
  const decoded = decodeTracesJson(text);
  assert.equal(decoded.spans.length, 0);
  assert.equal(decoded.rejectedSpans, 1);
  return decoded.errors[0]!;
}

test('the SDK JSON encoder and the SDK protobuf encoder decode to the same spans', () => {
  const fixture = buildSdkFixture();
  const fromJson = decodeTracesJson(fixture.json);
  const fromProtobuf = decodeTracesProtobuf(fixture.protobuf);
  // JSON.stringify prints 2^60 as 1152921504606847000: that literal, not 2^60, is what the
  // SDK's JSON body says, and the decoder keeps it to the last digit.
  assert.match(fixture.json, /"intValue":1152921504606847000\b/);
  const server = fromJson.spans.find((s) => s.spanId === fixture.server.spanContext().spanId)!;
  assert.equal(server.attributes['big.int'], '1152921504606847000');
  server.attributes['big.int'] = '1152921504606846976';
  assert.deepEqual(fromJson, fromProtobuf);
});

test('hex ids in any case come out lower-case', () => {
  const record = only(body([jsonSpan({ traceId: TRACE_ID.toUpperCase(), spanId: 'EeE19b7eC3c1B174', parentSpanId: 'ABCDEF0123456789' })]));
  assert.equal(record.traceId, TRACE_ID);
  assert.equal(record.spanId, SPAN_ID);
  assert.equal(record.parentSpanId, 'abcdef0123456789');
  assert.equal(only(body([jsonSpan({ parentSpanId: '' })])).parentSpanId, null);
  assert.equal(only(body([jsonSpan({ parentSpanId: '0000000000000000' })])).parentSpanId, null);
});

test('base64 and other malformed ids are rejected with a reason', () => {
  assert.match(reason(body([jsonSpan({ traceId: 'W47/95gDgQPSabYzgT/GDA==' })])), /traceId must be 32 hex characters \(this looks like base64; OTLP\/JSON ids are hex\)/);
  assert.match(reason(body([jsonSpan({ spanId: '7uGbfsPBsXQ=' })])), /spanId must be 16 hex characters.*base64/);
  assert.match(reason(body([jsonSpan({ traceId: 'zz' + TRACE_ID.slice(2) })])), /traceId must be 32 hex characters$/);
  assert.match(reason(body([jsonSpan({ traceId: 42 })])), /traceId must be a string/);
  assert.match(reason(body([jsonSpan({ spanId: '0000000000000000' })])), /spanId must not be all zeros/);
  assert.match(reason(body([jsonSpan({ parentSpanId: 'abc' })])), /parentSpanId must be 16 hex characters/);
});

test('int64 fields stay exact as strings and as bare numbers beyond 2^53', () => {
  const text = `{"resourceSpans":[{"scopeSpans":[{"spans":[{
    "traceId":"${TRACE_ID}","spanId":"${SPAN_ID}","name":"x",
    "startTimeUnixNano": 1700000000123456789,
    "endTimeUnixNano":"1700000000123456790",
    "events":[{"name":"e","timeUnixNano" :1700000000123456788}],
    "attributes":[
      {"key":"bare","value":{"intValue":9007199254740993}},
      {"key":"string","value":{"intValue":"-9223372036854775808"}},
      {"key":"small","value":{"intValue":"42"}},
      {"key":"negative","value":{"intValue":-7}},
      {"key":"fraction","value":{"intValue":1234567890123456.5}},
      {"key":"text","value":{"stringValue":"{\\"intValue\\": 12345678901234567890, \\"startTimeUnixNano\\": 99999999999999999999}"}}
    ]}]}]}]}`;
  const record = only(text);
  assert.equal(record.startTimeUnixNano, '1700000000123456789');
  assert.equal(record.endTimeUnixNano, '1700000000123456790');
  assert.equal(record.durationMs, 1e-6);
  assert.equal(record.events[0]?.timeUnixNano, '1700000000123456788');
  assert.equal(record.attributes.bare, '9007199254740993');
  assert.equal(record.attributes.string, '-9223372036854775808');
  assert.equal(record.attributes.small, 42);
  assert.equal(record.attributes.negative, -7);
  assert.equal(record.attributes.fraction, 1234567890123456.5);
  assert.equal(record.attributes.text, '{"intValue": 12345678901234567890, "startTimeUnixNano": 99999999999999999999}', 'string contents are never rewritten');
  assert.equal(record.service, 'unknown_service');
});

test('malformed times are rejected', () => {
  assert.match(reason(body([jsonSpan({ startTimeUnixNano: '2000', endTimeUnixNano: '1000' })])), /endTimeUnixNano is before startTimeUnixNano/);
  assert.match(reason(body([jsonSpan({ startTimeUnixNano: '1.5e18' })])), /startTimeUnixNano must be an unsigned integer/);
  assert.match(reason(body([jsonSpan({ endTimeUnixNano: '18446744073709551616' })])), /endTimeUnixNano must be an unsigned integer/);
  assert.match(reason(body([jsonSpan({ startTimeUnixNano: -1 })])), /startTimeUnixNano must be an unsigned integer/);
  assert.match(reason(body([jsonSpan({ startTimeUnixNano: undefined })])), /startTimeUnixNano is required/);
});

test('enums: integers, digit strings and names; anything else reads as 0', () => {
  const kinds: [unknown, number][] = [[2, 2], ['3', 3], ['SPAN_KIND_CONSUMER', 5], ['SPAN_KIND_NOPE', 0], [17, 0], [1.5, 0], [null, 0], [{}, 0], ['toString', 0]];
  for (const [kind, expected] of kinds) {
    assert.equal(only(body([jsonSpan({ kind })])).kind, expected, `kind ${JSON.stringify(kind)}`);
  }
  const statuses: [unknown, number][] = [[2, 2], ['1', 1], ['STATUS_CODE_ERROR', 2], ['ERROR', 0]];
  for (const [code, expected] of statuses) {
    const record = only(body([jsonSpan({ status: { code, message: 'm' } })]));
    assert.equal(record.statusCode, expected, `status ${JSON.stringify(code)}`);
    assert.equal(record.statusMessage, 'm');
  }
});

test('unknown fields are ignored; snake_case keys are unknown, so such spans lack ids', () => {
  const noisy = JSON.stringify({
    futureField: [1, 2],
    resourceSpans: [{
      schemaUrl: 'x', extra: { a: 1 },
      scopeSpans: [{ whatever: true, spans: [{ ...jsonSpan(), flags: 257, links: [], droppedEventsCount: 3, newThing: 'y' }] }],
    }],
  });
  assert.equal(only(noisy).spanId, SPAN_ID);

  const snake = body([{ trace_id: TRACE_ID, span_id: SPAN_ID, name: 'x', start_time_unix_nano: '1', end_time_unix_nano: '2' }]);
  assert.match(reason(snake), /traceId is required/);
});

test('bodies that are not an ExportTraceServiceRequest are OtlpDecodeError', () => {
  for (const text of ['', '{', 'not json', '[]', '[{"resourceSpans":[]}]', 'null', '42', '"x"', '{"resourceSpans":{}}', '{"resourceSpans":[1]}', '{"resourceSpans":[{"scopeSpans":"x"}]}', '{"resourceSpans":[{"scopeSpans":[{"spans":{}}]}]}']) {
    assert.throws(() => decodeTracesJson(text), OtlpDecodeError, text);
  }
});

test('empty requests decode to nothing', () => {
  for (const text of ['{}', '{"resourceSpans":[]}', '{"resourceSpans":null}', '{"resourceSpans":[{}]}', '{"resourceSpans":[{"scopeSpans":[{}]}]}']) {
    assert.deepEqual(decodeTracesJson(text), { spans: [], rejectedSpans: 0, errors: [] }, text);
  }
});

test('a span that is not an object is rejected, the others kept', () => {
  const decoded = decodeTracesJson(body([jsonSpan(), 'oops', jsonSpan({ spanId: '0000000000000001' })]));
  assert.equal(decoded.spans.length, 2);
  assert.equal(decoded.rejectedSpans, 1);
  assert.deepEqual(decoded.errors, ['resourceSpans[0].scopeSpans[0].spans[1]: span must be an object']);
});

test('AnyValue kinds decode like protobuf would', () => {
  const record = only(body([jsonSpan({
    attributes: [
      { key: 's', value: { stringValue: 'x' } },
      { key: 'b', value: { boolValue: false } },
      { key: 'd', value: { doubleValue: 1.5 } },
      { key: 'nan', value: { doubleValue: 'NaN' } },
      { key: 'inf', value: { doubleValue: 'Infinity' } },
      { key: 'bytes', value: { bytesValue: '3q2+7w==' } },
      { key: 'arr', value: { arrayValue: { values: [{ intValue: '1' }, { stringValue: 'two' }, {}] } } },
      { key: 'kv', value: { kvlistValue: { values: [{ key: 'inner', value: { boolValue: true } }, { key: '__proto__', value: { stringValue: 'p' } }] } } },
      { key: 'empty', value: {} },
      { key: 'missing' },
      { value: { stringValue: 'no key is skipped' } },
    ],
  })]));
  assert.deepEqual(Object.keys(record.attributes), ['s', 'b', 'd', 'nan', 'inf', 'bytes', 'arr', 'kv', 'empty', 'missing']);
  assert.equal(record.attributes.s, 'x');
  assert.equal(record.attributes.b, false);
  assert.equal(record.attributes.d, 1.5);
  assert.equal(record.attributes.nan, 'NaN');
  assert.equal(record.attributes.inf, 'Infinity');
  assert.equal(record.attributes.bytes, '3q2+7w==');
  assert.deepEqual(record.attributes.arr, [1, 'two', null]);
  const kv = record.attributes.kv as Record<string, unknown>;
  assert.equal(kv.inner, true);
  assert.equal(Object.getPrototypeOf(kv), Object.prototype);
  assert.equal(record.attributes.empty, null);
  assert.equal(record.attributes.missing, null);
});

test('a 1 MB attribute value is truncated, not rejected', () => {
  const huge = 'é'.repeat(500_000);
  const record = only(body([jsonSpan({ attributes: [{ key: 'big', value: { stringValue: huge } }] })]));
  const big = record.attributes.big as string;
  assert.ok(big.endsWith(TRUNCATION_MARKER));
  assert.equal(big.slice(0, -TRUNCATION_MARKER.length), 'é'.repeat(MAX_ATTRIBUTE_VALUE_BYTES / 2));
  const emoji = only(body([jsonSpan({ attributes: [{ key: 'e', value: { stringValue: '😀'.repeat(20_000) } }] })]));
  assert.equal((emoji.attributes.e as string).slice(0, -TRUNCATION_MARKER.length), '😀'.repeat(MAX_ATTRIBUTE_VALUE_BYTES / 4), 'never half a surrogate pair');
});

test('100,000 attributes on one span are handled quickly, keeping the first 1,024', () => {
  const attributes = Array.from({ length: 100_000 }, (_, i) => ({ key: `k${i}`, value: { intValue: String(i) } }));
  const text = body([jsonSpan({ attributes })]);
  const started = performance.now();
  const record = only(text);
  const elapsedMs = performance.now() - started;
  assert.ok(elapsedMs < 2000, `took ${elapsedMs} ms`);
  const keys = Object.keys(record.attributes);
  assert.equal(keys.length, MAX_ATTRIBUTES);
  assert.equal(keys[0], 'k0');
  assert.equal(record.attributes[`k${MAX_ATTRIBUTES - 1}`], MAX_ATTRIBUTES - 1);
});

test('deep nesting rejects the span, whatever the depth', () => {
  for (const levels of [40, 50_000]) {
    const deep = '{"arrayValue":{"values":['.repeat(levels) + '{"stringValue":"x"}' + ']}}'.repeat(levels);
    const text = body([jsonSpan({ spanId: '0000000000000001' }), jsonSpan()]).replace('"name":"GET /a"', `"name":"GET /a","attributes":[{"key":"deep","value":${deep}}]`);
    try {
      const decoded = decodeTracesJson(text);
      assert.equal(decoded.spans.length, 1, `${levels} levels`);
      assert.match(decoded.errors[0]!, /nested deeper than 32 levels/);
    } catch (error) {
      assert.ok(error instanceof OtlpDecodeError, String(error));
    }
  }
  const resourceDeep = '{"arrayValue":{"values":['.repeat(40) + ']}}'.repeat(40);
  const decoded = decodeTracesJson(body([jsonSpan(), jsonSpan()]).replace('{"stringValue":"svc"}', resourceDeep));
  assert.equal(decoded.rejectedSpans, 2);
  assert.match(decoded.errors[0]!, /resource attribute value nested deeper/);
});

test('the int64 quoting scan stays linear on hostile input', () => {
  const hostile = '{"a":"' + ',"intValue"'.repeat(50_000) + '"' + ',"intValue"' + ' '.repeat(500_000) + '}';
  const started = performance.now();
  assert.throws(() => decodeTracesJson(hostile), OtlpDecodeError);
  assert.ok(performance.now() - started < 1000);
});
