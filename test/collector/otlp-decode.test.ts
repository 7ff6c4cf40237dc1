import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { decodeTracesProtobuf, OtlpDecodeError, MAX_ATTRIBUTES, MAX_ATTRIBUTE_VALUE_BYTES, TRUNCATION_MARKER } from '../../collector/otlp/decode.ts';
import type { SpanRecord } from '../../store/index.ts';
import { BIG_INT, NESTED_VALUE, START_NANOS, buildSdkFixture, hrTimeToNanos } from './fixtures/sdk-spans.ts';
import {
  any, bytesField, concat, fixed32Field, fixed64Field, keyValue, prng, request, span, stringField, tag, varint, varintField,
} from './fixtures/proto-writer.ts';

function decodesOrRejects(body: Uint8Array): void {
  try {
    decodeTracesProtobuf(body);
  } catch (error) {
    assert.ok(error instanceof OtlpDecodeError, `expected OtlpDecodeError, got ${String(error)}`);
  }
}

function only(body: Uint8Array): SpanRecord {
  const decoded = decodeTracesProtobuf(body);
  assert.deepEqual(decoded.errors, []);
  assert.equal(decoded.spans.length, 1);
  return decoded.spans[0]!;
}

test('decodes what the OpenTelemetry JS SDK protobuf encoder sends, field by field', () => {
  const fixture = buildSdkFixture();
  const decoded = decodeTracesProtobuf(fixture.protobuf);
  assert.equal(decoded.rejectedSpans, 0);
  assert.deepEqual(decoded.errors, []);
  assert.equal(decoded.spans.length, fixture.spans.length);

  for (const sdk of fixture.spans) {
    const context = sdk.spanContext();
    const record = decoded.spans.find((s) => s.spanId === context.spanId);
    assert.ok(record, `span ${sdk.name} decoded`);
    assert.equal(record.traceId, context.traceId);
    assert.equal(record.parentSpanId, sdk.parentSpanContext?.spanId ?? null);
    assert.equal(record.name, sdk.name);
    assert.equal(record.kind, sdk.kind + 1, 'OTLP SpanKind is the API kind plus one');
    assert.equal(record.startTimeUnixNano, hrTimeToNanos(sdk.startTime));
    assert.equal(record.endTimeUnixNano, hrTimeToNanos(sdk.endTime));
    assert.equal(record.durationMs, Number(BigInt(record.endTimeUnixNano) - BigInt(record.startTimeUnixNano)) / 1e6);
    assert.equal(record.statusCode, sdk.status.code);
    assert.equal(record.statusMessage, sdk.status.message ?? '');
    assert.equal(record.service, 'checkout');
    assert.deepEqual(record.resource, { 'service.name': 'checkout', 'service.version': '1.2.3', 'deployment.config': NESTED_VALUE });
    assert.deepEqual(record.events, sdk.events.map((event) => ({
      name: event.name,
      timeUnixNano: hrTimeToNanos(event.time),
      attributes: event.attributes ?? {},
    })));
    assert.deepEqual(record.attributes, expectedAttributes(sdk));
  }

  const server = decoded.spans.find((s) => s.spanId === fixture.server.spanContext().spanId)!;
  assert.equal(server.startTimeUnixNano, START_NANOS, 'nanoseconds exact beyond 2^53');
  assert.equal(server.attributes['big.int'], '1152921504606846976', 'int64 beyond 2^53 is an exact decimal string');
  assert.equal(server.attributes['unicode.text'], 'héllo ✓ 🚀');
  assert.deepEqual(server.events[0], { name: 'cache.miss', timeUnixNano: '1700000000150000001', attributes: { key: 'user:42', attempt: 2 } });
});

function expectedAttributes(sdk: ReadableSpan): Record<string, unknown> {
  const out: Record<string, unknown> = { ...sdk.attributes };
  if (out['big.int'] === BIG_INT) out['big.int'] = BigInt(BIG_INT).toString();
  return out;
}

test('every truncated prefix of a real request throws OtlpDecodeError or decodes cleanly', () => {
  const body = buildSdkFixture().protobuf;
  let clean = 0;
  for (let cut = 0; cut < body.length; cut++) {
    try {
      decodeTracesProtobuf(body.subarray(0, cut));
      clean++;
    } catch (error) {
      assert.ok(error instanceof OtlpDecodeError, `cut at ${cut}: ${String(error)}`);
    }
  }
  assert.ok(clean >= 1, 'the empty prefix is an empty request');
});

test('random bytes and mutated real requests only ever throw OtlpDecodeError, and never hang', { timeout: 30_000 }, () => {
  const random = prng(0x7e11);
  for (let i = 0; i < 5000; i++) {
    const bytes = new Uint8Array(Math.floor(random() * 400));
    for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(random() * 256);
    decodesOrRejects(bytes);
  }
  const real = buildSdkFixture().protobuf;
  for (let i = 0; i < 5000; i++) {
    const mutated = real.slice();
    const flips = 1 + Math.floor(random() * 4);
    for (let j = 0; j < flips; j++) mutated[Math.floor(random() * mutated.length)] = Math.floor(random() * 256);
    decodesOrRejects(mutated);
  }
});

test('structural faults are OtlpDecodeError', () => {
  const cases: [string, Uint8Array][] = [
    ['a length running past the end', concat(tag(1, 2), varint(50), [1, 2, 3])],
    ['a nested length running past its parent', bytesField(1, concat(tag(2, 2), varint(10), [1, 2]))],
    ['field number zero', Uint8Array.from([0x02, 0x00])],
    ['wire type 6', Uint8Array.from([0x0e])],
    ['an 11-byte varint', Uint8Array.from([0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01])],
    ['a stray end-group', Uint8Array.from([0x0c])],
    ['an unterminated group', Uint8Array.from([0x0b, 0x08, 0x01])],
    ['a mismatched end-group', Uint8Array.from([0x0b, 0x14])],
    ['a truncated fixed64', Uint8Array.from([0x09, 1, 2, 3])],
  ];
  for (const [what, body] of cases) {
    assert.throws(() => decodeTracesProtobuf(body), OtlpDecodeError, what);
  }
  const groups = concat(...Array.from({ length: 200 }, () => tag(99, 3)));
  assert.throws(() => decodeTracesProtobuf(groups), OtlpDecodeError, 'deeply nested groups are bounded');
});

test('an empty body is an empty request', () => {
  assert.deepEqual(decodeTracesProtobuf(new Uint8Array(0)), { spans: [], rejectedSpans: 0, errors: [] });
});

test('unknown fields of every wire type are skipped at every level', () => {
  const unknown = concat(
    varintField(99, 123456789012345n),
    fixed64Field(98, 42n),
    bytesField(97, [1, 2, 3, 4]),
    fixed32Field(96, 7),
    tag(95, 3), varintField(1, 5), bytesField(2, [9]), tag(95, 4),
    // A known field number with the wrong wire type is unknown too.
    varintField(5, 3), fixed32Field(1, 1),
  );
  const attributes: [string, Uint8Array][] = [['http.request.method', any.string('GET')]];
  const plain = request([span({ attributes })]);
  const noisy = concat(
    unknown,
    bytesField(1,
      unknown,
      bytesField(1, bytesField(1, keyValue('service.name', any.string('svc'))), unknown),
      bytesField(2, unknown, bytesField(2, span({ attributes: [['http.request.method', concat(any.string('GET'), unknown)]], extra: unknown }))),
    ),
  );
  assert.deepEqual(decodeTracesProtobuf(noisy), decodeTracesProtobuf(plain));
  assert.equal(decodeTracesProtobuf(noisy).spans.length, 1);
});

test('one bad span is reported and the rest of the batch is kept', () => {
  const body = request([
    span({ spanId: '0000000000000001' }),
    span({ spanId: '0000000000000002', traceId: '00000000000000000000000000000000' }),
    span({ spanId: '0000000000000003' }),
  ]);
  const decoded = decodeTracesProtobuf(body);
  assert.deepEqual(decoded.spans.map((s) => s.spanId), ['0000000000000001', '0000000000000003']);
  assert.equal(decoded.rejectedSpans, 1);
  assert.deepEqual(decoded.errors, ['resourceSpans[0].scopeSpans[0].spans[1]: traceId must not be all zeros']);
});

test('per-span validation reasons', () => {
  const cases: [string, Uint8Array, RegExp][] = [
    ['short trace id', span({ traceId: '0102' }), /traceId must be 16 bytes \(got 2\)/],
    ['long span id', span({ spanId: '010203040506070809' }), /spanId must be 8 bytes \(got 9\)/],
    ['zero span id', span({ spanId: '0000000000000000' }), /spanId must not be all zeros/],
    ['odd parent', span({ parentSpanId: '01020304' }), /parentSpanId must be empty or 8 bytes/],
    ['end before start', span({ start: 2000n, end: 1000n }), /endTimeUnixNano is before startTimeUnixNano/],
    ['no start time', span({ start: 0n, end: 0n }), /startTimeUnixNano is required/],
    ['missing ids', concat(stringField(5, 'x'), fixed64Field(7, 1n), fixed64Field(8, 2n)), /traceId must be 16 bytes \(got 0\)/],
  ];
  for (const [what, spanBytes, reason] of cases) {
    const decoded = decodeTracesProtobuf(request([spanBytes]));
    assert.equal(decoded.spans.length, 0, what);
    assert.equal(decoded.rejectedSpans, 1, what);
    assert.match(decoded.errors[0] ?? '', reason, what);
  }
});

test('reasons are capped at ten while every rejected span is counted', () => {
  const bad = Array.from({ length: 25 }, () => span({ traceId: '00' }));
  const decoded = decodeTracesProtobuf(request([...bad, span()]));
  assert.equal(decoded.rejectedSpans, 25);
  assert.equal(decoded.errors.length, 10);
  assert.equal(decoded.spans.length, 1);
});

test('edge ids, times and kinds convert exactly', () => {
  const record = only(request([span({
    traceId: 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF',
    parentSpanId: '0000000000000000',
    kind: 99,
    start: 18446744073709551614n,
    end: 18446744073709551615n,
    statusCode: 7,
  })]));
  assert.equal(record.traceId, 'ffffffffffffffffffffffffffffffff');
  assert.equal(record.parentSpanId, null, 'an all-zero parent means no parent');
  assert.equal(record.kind, 0, 'unknown kinds read as unspecified');
  assert.equal(record.statusCode, 0);
  assert.equal(record.startTimeUnixNano, '18446744073709551614');
  assert.equal(record.endTimeUnixNano, '18446744073709551615');
  assert.equal(record.durationMs, 1e-6);
});

test('AnyValue kinds, int64 extremes and non-finite doubles', () => {
  const record = only(request([span({
    attributes: [
      ['minus.one', any.int(-1)],
      ['int64.min', any.int(-(2n ** 63n))],
      ['int64.max', any.int(2n ** 63n - 1n)],
      ['above.2^53', any.int(2n ** 53n + 1n)],
      ['safe', any.int(2 ** 53 - 1)],
      ['nan', any.double(NaN)],
      ['inf', any.double(-Infinity)],
      ['bool', any.bool(true)],
      ['bytes', any.bytes([0xde, 0xad, 0xbe, 0xef])],
      ['empty', new Uint8Array(0)],
      ['kv', any.kvlist(keyValue('a', any.array(any.int(1), any.string('x'))), keyValue('__proto__', any.string('p')))],
    ],
  })]));
  const attributes = record.attributes;
  assert.equal(attributes['minus.one'], -1);
  assert.equal(attributes['int64.min'], '-9223372036854775808');
  assert.equal(attributes['int64.max'], '9223372036854775807');
  assert.equal(attributes['above.2^53'], '9007199254740993');
  assert.equal(attributes.safe, 2 ** 53 - 1);
  assert.equal(attributes.nan, 'NaN');
  assert.equal(attributes.inf, '-Infinity');
  assert.equal(attributes.bool, true);
  assert.equal(attributes.bytes, '3q2+7w==');
  assert.equal(attributes.empty, null);
  const kv = attributes.kv as Record<string, unknown>;
  assert.deepEqual(kv.a, [1, 'x']);
  assert.equal(Object.getPrototypeOf(kv), Object.prototype, 'a __proto__ key cannot swap the prototype');
  assert.equal(Object.getOwnPropertyDescriptor(kv, '__proto__')?.value, 'p');
});

test('invalid UTF-8 becomes U+FFFD instead of failing', () => {
  const bad = concat(tag(1, 2), varint(5), [0x61, 0xff, 0x62, 0xc3, 0x28]);
  const longBad = concat(tag(1, 2), varint(40), new Uint8Array(39).fill(0x61), [0xe2]);
  const record = only(request([span({ name: 'n', attributes: [['short', bad], ['long', longBad]] })]));
  assert.equal(record.attributes.short, 'a\uFFFDb\uFFFD(');
  assert.equal(record.attributes.long, 'a'.repeat(39) + '\uFFFD');
});

test('an oversized string value keeps its prefix on a character boundary and is marked', () => {
  const huge = '✓'.repeat(100_000); // 3 bytes each
  const record = only(request([span({ attributes: [['big', any.string(huge)], ['bin', any.bytes(new Uint8Array(200_000))]] })]));
  const big = record.attributes.big as string;
  assert.ok(big.endsWith(TRUNCATION_MARKER));
  const kept = big.slice(0, -TRUNCATION_MARKER.length);
  assert.equal(kept, '✓'.repeat(Math.floor(MAX_ATTRIBUTE_VALUE_BYTES / 3)));
  const bin = record.attributes.bin as string;
  assert.ok(bin.endsWith(TRUNCATION_MARKER));
  assert.ok(bin.length <= MAX_ATTRIBUTE_VALUE_BYTES + TRUNCATION_MARKER.length);
});

test('only the first 1,024 attributes of a span are kept', () => {
  const attributes: [string, Uint8Array][] = Array.from({ length: 3000 }, (_, i) => [`k${i}`, any.int(i)]);
  const started = performance.now();
  const record = only(request([span({ attributes })]));
  assert.ok(performance.now() - started < 1000);
  const keys = Object.keys(record.attributes);
  assert.equal(keys.length, MAX_ATTRIBUTES);
  assert.equal(keys[0], 'k0');
  assert.equal(keys.at(-1), `k${MAX_ATTRIBUTES - 1}`);
});

type Bytes = Uint8Array | number[];

function deepArray(levels: number): Uint8Array {
  // Built back to front so a deep value costs linear time to construct.
  const buf = new Uint8Array(levels * 12 + 16);
  let pos = buf.length;
  const put = (bytes: Bytes): void => {
    pos -= bytes.length;
    buf.set(bytes, pos);
  };
  put([0x0a, 1, 0x78]); // AnyValue{string_value: "x"}
  for (let i = 0; i < levels; i++) {
    put(varint(buf.length - pos));
    put([0x0a]); // ArrayValue.values
    put(varint(buf.length - pos));
    put([0x2a]); // AnyValue.array_value
  }
  return buf.slice(pos);
}

test('deeply nested values reject their span, not the batch, at any depth', () => {
  const ok = only(request([span({ attributes: [['nested', deepArray(20)]] })]));
  let value = ok.attributes.nested;
  for (let i = 0; i < 20; i++) value = (value as unknown[])[0] as typeof value;
  assert.equal(value, 'x');

  for (const levels of [40, 100_000]) {
    const decoded = decodeTracesProtobuf(request([span({ spanId: '0000000000000001', attributes: [['nested', deepArray(levels)]] }), span()]));
    assert.equal(decoded.spans.length, 1, `${levels} levels`);
    assert.equal(decoded.rejectedSpans, 1);
    assert.match(decoded.errors[0]!, /nested deeper than 32 levels/);
  }
});

test('the resource is applied even when scope spans come first on the wire', () => {
  const scope = bytesField(2, bytesField(2, span()));
  const resource = bytesField(1, bytesField(1, keyValue('service.name', any.string('late'))));
  const decoded = decodeTracesProtobuf(bytesField(1, scope, resource));
  assert.equal(decoded.spans[0]?.service, 'late');
  const anonymous = decodeTracesProtobuf(bytesField(1, scope));
  assert.equal(anonymous.spans[0]?.service, 'unknown_service');
  assert.deepEqual(anonymous.spans[0]?.resource, {});
});
