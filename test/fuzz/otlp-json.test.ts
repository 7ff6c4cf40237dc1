// Property tests of the OTLP/JSON trace decoder: whatever arrives, it either decodes (spans plus
// reasons for the ones it refused) or throws OtlpDecodeError — never another exception; and any
// valid span survives encoding to OTLP/JSON and decoding exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OtlpDecodeError, decodeTracesJson } from '../../collector/otlp/decode.ts';
import { fc, runsFor } from './settings.ts';

function decodesOrRefuses(text: string): void {
  try {
    const decoded = decodeTracesJson(text);
    assert.ok(Array.isArray(decoded.spans));
    assert.ok(Number.isInteger(decoded.rejectedSpans) && decoded.rejectedSpans >= 0);
    assert.ok(decoded.errors.length <= 10);
  } catch (err) {
    if (!(err instanceof OtlpDecodeError)) throw err;
  }
}

test('arbitrary JSON values never make the decoder throw anything but OtlpDecodeError', () => {
  fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => decodesOrRefuses(JSON.stringify(value))));
});

test('arbitrary text (broken JSON included) never makes the decoder throw anything but OtlpDecodeError', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), decodesOrRefuses));
});

const hex = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: length, maxLength: length });

// Shapes close to a real request, with any field replaced by any JSON value: the interesting inputs.
const anyField = fc.jsonValue({ maxDepth: 3 });
const fuzzedSpan = fc.record({
  traceId: fc.oneof(hex(32), anyField),
  spanId: fc.oneof(hex(16), anyField),
  parentSpanId: fc.oneof(fc.constant(''), anyField),
  name: fc.oneof(fc.string(), anyField),
  kind: fc.oneof(fc.integer({ min: -1, max: 7 }), fc.constantFrom('SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', '__proto__', 'constructor'), anyField),
  startTimeUnixNano: fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String), anyField),
  endTimeUnixNano: fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String), anyField),
  attributes: fc.oneof(fc.array(fc.record({ key: fc.oneof(fc.string(), fc.constant('__proto__')), value: anyField }), { maxLength: 5 }), anyField),
  events: fc.oneof(fc.array(anyField, { maxLength: 3 }), anyField),
  status: anyField,
}, { requiredKeys: [] });

test('request-shaped JSON with fuzzed fields never throws anything but OtlpDecodeError', () => {
  fc.assert(fc.property(fc.array(fuzzedSpan, { maxLength: 5 }), anyField, (spans, resourceAttributes) => {
    decodesOrRefuses(JSON.stringify({ resourceSpans: [{ resource: { attributes: resourceAttributes }, scopeSpans: [{ scope: { name: 's' }, spans }] }] }));
    decodesOrRefuses(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] }));
  }), { numRuns: runsFor(2) });
});

const nonZeroHex = (bytes: number) => fc.uint8Array({ minLength: bytes, maxLength: bytes })
  .filter((a) => a.some((b) => b !== 0))
  .map((a) => Buffer.from(a).toString('hex'));

const attributeValue = fc.oneof(
  fc.string({ maxLength: 40 }).map((v) => ({ json: { stringValue: v }, stored: v })),
  fc.boolean().map((v) => ({ json: { boolValue: v }, stored: v })),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((v) => ({
    json: { intValue: v.toString() },
    stored: (v >= -(2n ** 53n) + 1n && v <= 2n ** 53n - 1n ? Number(v) : v.toString()),
  })),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => ({ json: { doubleValue: v }, stored: (Object.is(v, -0) ? 0 : v) })),
);

const validSpan = fc.record({
  traceId: nonZeroHex(16),
  spanId: nonZeroHex(8),
  name: fc.string({ maxLength: 60 }),
  kind: fc.integer({ min: 0, max: 5 }),
  start: fc.bigInt({ min: 1n, max: 2n ** 63n }),
  duration: fc.bigInt({ min: 0n, max: 10n ** 12n }),
  attributes: fc.dictionary(fc.string({ minLength: 1, maxLength: 20 }).filter((k) => k !== '__proto__'), attributeValue, { maxKeys: 8 }),
});

test('valid spans round-trip through OTLP/JSON exactly', () => {
  fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 30 }), fc.array(validSpan, { minLength: 1, maxLength: 4 }), (service, spans) => {
    const body = {
      resourceSpans: [{
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [{
          scope: { name: 'fuzz' },
          spans: spans.map((s) => ({
            traceId: s.traceId, spanId: s.spanId, name: s.name, kind: s.kind,
            startTimeUnixNano: s.start.toString(), endTimeUnixNano: (s.start + s.duration).toString(),
            attributes: Object.entries(s.attributes).map(([key, v]) => ({ key, value: v.json })),
          })),
        }],
      }],
    };
    const decoded = decodeTracesJson(JSON.stringify(body));
    assert.equal(decoded.rejectedSpans, 0, decoded.errors.join('; '));
    assert.equal(decoded.spans.length, spans.length);
    decoded.spans.forEach((record, i) => {
      const s = spans[i]!;
      assert.equal(record.traceId, s.traceId);
      assert.equal(record.spanId, s.spanId);
      assert.equal(record.name, s.name);
      assert.equal(record.kind, s.kind);
      assert.equal(record.service, service);
      assert.equal(record.startTimeUnixNano, s.start.toString());
      assert.equal(record.endTimeUnixNano, (s.start + s.duration).toString());
      assert.deepEqual({ ...record.attributes }, Object.fromEntries(Object.entries(s.attributes).map(([k, v]) => [k, v.stored])));
    });
  }));
});
