// Bad-input corpus for POST /v1/traces. Every case asserts the four things: the status code, the
// response body, that the good part of the batch (or a good batch sent beside it) was kept, and
// how `telltale_ingest_discarded_total{receiver,reason}` on /metrics moved (not at all when
// nothing was refused: a truncated attribute is kept, not discarded).
//
// Cases of issue 9 that live elsewhere, because those tests already assert what matters there:
// - HTML and script in what an alert email shows, CR/LF reaching email headers:
//   test/alerts/notify/render-email.test.ts ("nothing from labels or annotations can break the
//   subject into headers", "the HTML part escapes everything…") and test/alerts/notify/email.test.ts
//   ("a label carrying CR/LF and a Bcc header…", "HTML escaping of <script> and quotes survives…").
// - Decoder-level detail of the same inputs (every truncated prefix, per-field reasons, caps):
//   test/collector/otlp-decode.test.ts and test/collector/otlp-json.test.ts; here they go through HTTP.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { TestTelltale } from '../helpers/telltale.ts';
import { jsonRequest, jsonSpan, newSpanId, newTraceId } from '../helpers/otlp-json.ts';
import { protobufRequest } from '../helpers/otlp-protobuf.ts';
import { JSON_TYPE, PROTOBUF, callCount, decodeStatus, postOtlp } from '../helpers/otlp-http.ts';
import { fileScope, measured, startCorpusTelltale, type ExtraConfig } from './harness.ts';

const post = (telltale: TestTelltale, body: Buffer | string, headers: Record<string, string>) =>
  postOtlp(telltale, body, { path: '/v1/traces', headers });
const asJson = { 'content-type': JSON_TYPE };
/** The defaults of TELLTALE_INGEST_MAX_AGE and TELLTALE_INGEST_MAX_FUTURE. */
const WINDOW: ExtraConfig = { ingestMaxAgeMs: 7 * 86_400_000, ingestMaxFutureMs: 10 * 60_000 };

// One Telltale per file (starting one costs about a second); every case uses its own services and
// reads the counters as deltas, so cases stay independent.
let shared: Promise<TestTelltale> | null = null;

async function start(_t: TestContext, extra?: ExtraConfig): Promise<TestTelltale> {
  shared ??= (async () => {
    const telltale = await startCorpusTelltale(fileScope, { ...WINDOW, ...extra });
    // The good part: stored before every bad request, and still there after each.
    const good = await post(telltale, jsonRequest('good', [jsonSpan(), jsonSpan(), jsonSpan()]), asJson);
    assert.equal(good.status, 200);
    return telltale;
  })();
  return shared;
}

/** A whole body refused: nothing of it stored, the good batch intact, one discard of `reason`. */
async function assertRefused(telltale: TestTelltale, send: () => Promise<Awaited<ReturnType<typeof post>>>, expected: {
  status: number; type: RegExp; rpcCode: number; message: RegExp; reason: string; badService: string;
}) {
  const { result, discards } = await measured(telltale, send);
  assert.equal(result.status, expected.status);
  assert.match(result.type, expected.type);
  const status = expected.type.source.includes('protobuf') ? decodeStatus(result.bytes) : JSON.parse(result.bytes.toString()) as { code: number; message: string };
  assert.equal(status.code, expected.rpcCode);
  assert.match(status.message, expected.message);
  assert.deepEqual(discards, { [`otlp_traces/${expected.reason}`]: 1 });
  assert.equal(await callCount(telltale, 'good'), 3);
  assert.equal(await callCount(telltale, expected.badService), 0);
}

/** A batch with bad spans: 200 partial success, the good spans stored, the bad ones counted. */
async function assertPartial(telltale: TestTelltale, service: string, good: object[], bad: object[], expected: { message: RegExp; reason: string }) {
  const { result, discards } = await measured(telltale, () => post(telltale, jsonRequest(service, [...good, ...bad]), asJson));
  assert.equal(result.status, 200);
  const answer = JSON.parse(result.bytes.toString()) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
  assert.equal(answer.partialSuccess.rejectedSpans, String(bad.length));
  assert.match(answer.partialSuccess.errorMessage, expected.message);
  assert.deepEqual(discards, { [`otlp_traces/${expected.reason}`]: bad.length });
  assert.equal(await callCount(telltale, service), good.length);
  assert.equal(await callCount(telltale, 'good'), 3);
}

/** A batch fully accepted: 200 with an empty response, every span stored, no discard. */
async function assertAccepted(telltale: TestTelltale, service: string, body: string | Buffer, headers: Record<string, string>, spans: number) {
  const { result, discards } = await measured(telltale, () => post(telltale, body, headers));
  assert.equal(result.status, 200);
  // Full success: `{}` in JSON, an empty ExportTraceServiceResponse in protobuf.
  if (headers['content-type'] === PROTOBUF) assert.equal(result.bytes.length, 0);
  else assert.deepEqual(JSON.parse(result.bytes.toString()), {});
  assert.deepEqual(discards, {});
  assert.equal(await callCount(telltale, service), spans);
}

test('protobuf cut off mid-message: 400 Status in protobuf, counted undecodable', async (t) => {
  const telltale = await start(t);
  const whole = await protobufRequest('cut', 4);
  await assertRefused(telltale, () => post(telltale, whole.subarray(0, Math.floor(whole.length / 2)), { 'content-type': PROTOBUF }), {
    status: 400, type: /^application\/x-protobuf/, rpcCode: 3, message: /cannot decode ExportTraceServiceRequest/, reason: 'undecodable', badService: 'cut',
  });
});

test('a gzip bomb (50 KB inflating to 50 MB) is 413 while inflating, counted too_large', async (t) => {
  const telltale = await start(t);
  const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, ' '));
  assert.ok(bomb.length < 100 * 1024);
  await assertRefused(telltale, () => post(telltale, bomb, { ...asJson, 'content-encoding': 'gzip' }), {
    status: 413, type: /^application\/json/, rpcCode: 8, message: /exceeds \d+ bytes after decompression/, reason: 'too_large', badService: 'bomb',
  });
});

test('Content-Encoding: gzip on a plain body is 400, counted undecodable', async (t) => {
  const telltale = await start(t);
  await assertRefused(telltale, () => post(telltale, jsonRequest('plain', [jsonSpan()]), { ...asJson, 'content-encoding': 'gzip' }), {
    status: 400, type: /^application\/json/, rpcCode: 3, message: /not valid gzip/, reason: 'undecodable', badService: 'plain',
  });
});

test('JSON labelled as protobuf is 400 in protobuf, counted undecodable', async (t) => {
  const telltale = await start(t);
  await assertRefused(telltale, () => post(telltale, jsonRequest('mislabelled', [jsonSpan()]), { 'content-type': PROTOBUF }), {
    status: 400, type: /^application\/x-protobuf/, rpcCode: 3, message: /cannot decode/, reason: 'undecodable', badService: 'mislabelled',
  });
});

test('protobuf labelled as JSON is 400 in JSON, counted undecodable', async (t) => {
  const telltale = await start(t);
  const body = await protobufRequest('mislabelled', 2);
  await assertRefused(telltale, () => post(telltale, body, asJson), {
    status: 400, type: /^application\/json/, rpcCode: 3, message: /cannot decode/, reason: 'undecodable', badService: 'mislabelled',
  });
});

test('a trace id in base64 rejects its span only', async (t) => {
  const telltale = await start(t);
  await assertPartial(telltale, 'ids', [jsonSpan(), jsonSpan()], [jsonSpan({ traceId: Buffer.from(newTraceId(), 'hex').toString('base64') })], { message: /traceId/, reason: 'invalid_span' });
});

test('a trace id of 24 hex characters rejects its span only', async (t) => {
  const telltale = await start(t);
  await assertPartial(telltale, 'ids-24', [jsonSpan()], [jsonSpan({ traceId: 'ab'.repeat(12) }), jsonSpan({ spanId: 'ab'.repeat(6) })], { message: /traceId/, reason: 'invalid_span' });
});

test('an all-zero trace or span id rejects its span only', async (t) => {
  const telltale = await start(t);
  await assertPartial(telltale, 'ids-zero', [jsonSpan()], [jsonSpan({ traceId: '0'.repeat(32) }), jsonSpan({ spanId: '0'.repeat(16) })], { message: /Id/, reason: 'invalid_span' });
});

test('enum names as strings ("SPAN_KIND_SERVER") are read as the enum', async (t) => {
  const telltale = await start(t);
  const spans = [jsonSpan(), jsonSpan()].map((s) => ({ ...s, kind: 'SPAN_KIND_SERVER', status: { code: 'STATUS_CODE_OK' } }));
  await assertAccepted(telltale, 'enums', jsonRequest('enums', spans), asJson, 2);
});

test('snake_case keys are unknown fields, so such spans lack ids and are rejected', async (t) => {
  const telltale = await start(t);
  const snake = (s: Record<string, unknown>) => ({ trace_id: s.traceId, span_id: s.spanId, name: s.name, kind: s.kind, start_time_unix_nano: s.startTimeUnixNano, end_time_unix_nano: s.endTimeUnixNano, attributes: s.attributes });
  await assertPartial(telltale, 'snake', [jsonSpan()], [snake(jsonSpan() as Record<string, unknown>)], { message: /traceId/, reason: 'invalid_span' });
});

test('int64 timestamps above 2^53, as bare JSON numbers, are stored exactly', async (t) => {
  const telltale = await start(t);
  const traceId = newTraceId();
  const startNs = `${Date.now() - 60_000}123457`;
  const endNs = `${Date.now() - 59_000}987651`;
  assert.ok(BigInt(startNs) > 2n ** 53n);
  const span = { ...jsonSpan({ traceId }), startTimeUnixNano: 'START', endTimeUnixNano: 'END' };
  const body = jsonRequest('int64', [span]).replace('"START"', startNs).replace('"END"', endNs);
  await assertAccepted(telltale, 'int64', body, asJson, 1);
  const trace = await telltale.get(`/api/v1/traces/${traceId}`);
  assert.equal(trace.body.startTimeUnixNano, startNs);
});

test('a 10 MB attribute value is kept truncated to 64 KiB with a marker, the span stored', async (t) => {
  const telltale = await start(t);
  const traceId = newTraceId();
  const body = jsonRequest('big-attr', [jsonSpan({ traceId, attributes: { 'http.request.method': 'GET', 'http.route': '/x', huge: 'x'.repeat(10 * 1024 * 1024) } })]);
  await assertAccepted(telltale, 'big-attr', body, asJson, 1);
  const trace = await telltale.get(`/api/v1/traces/${traceId}`);
  const huge = String(trace.body.spans[0].attributes.huge);
  assert.ok(huge.length <= 64 * 1024 + 20 && huge.endsWith('…[truncated]'));
});

test('100,000 attributes on one span: answered quickly, the first 1,024 kept', async (t) => {
  const telltale = await start(t);
  const traceId = newTraceId();
  const attributes: Record<string, string> = { 'http.request.method': 'GET', 'http.route': '/many' };
  for (let i = 0; i < 100_000; i++) attributes[`a${i}`] = 'v';
  const started = performance.now();
  await assertAccepted(telltale, 'many-attrs', jsonRequest('many-attrs', [jsonSpan({ traceId, attributes })]), asJson, 1);
  assert.ok(performance.now() - started < 5000);
  const trace = await telltale.get(`/api/v1/traces/${traceId}`);
  assert.equal(Object.keys(trace.body.spans[0].attributes).length, 1024);
});

test('invalid UTF-8 in a JSON body becomes U+FFFD; the span is kept', async (t) => {
  const telltale = await start(t);
  const traceId = newTraceId();
  const text = jsonRequest('utf8', [jsonSpan({ traceId, name: 'GET BADBYTES' })]);
  const [before, after] = text.split('BADBYTES') as [string, string];
  const body = Buffer.concat([Buffer.from(before), Buffer.from([0xff, 0xc3, 0x28]), Buffer.from(after)]);
  await assertAccepted(telltale, 'utf8', body, asJson, 1);
  const trace = await telltale.get(`/api/v1/traces/${traceId}`);
  assert.match(trace.body.spans[0].name, /^GET \uFFFD/);
});

test('end before start rejects its span only', async (t) => {
  const telltale = await start(t);
  const bad = { ...jsonSpan(), endTimeUnixNano: '1000' };
  await assertPartial(telltale, 'backwards', [jsonSpan()], [bad], { message: /endTimeUnixNano is before startTimeUnixNano/, reason: 'invalid_span' });
});

test('a span from 1970 is outside the accepted window: rejected, counted out_of_window', async (t) => {
  const telltale = await start(t);
  await assertPartial(telltale, 'epoch', [jsonSpan()], [jsonSpan({ startMs: 1000 })], { message: /in the past/, reason: 'out_of_window' });
});

test('a span two hours in the future is outside the accepted window: rejected, counted out_of_window', async (t) => {
  const telltale = await start(t);
  await assertPartial(telltale, 'ahead', [jsonSpan(), jsonSpan()], [jsonSpan({ startMs: Date.now() + 2 * 3_600_000 })], { message: /in the future/, reason: 'out_of_window' });
});

test('malformed and out-of-window spans in one batch are each counted under their own reason', async (t) => {
  const telltale = await start(t);
  const body = jsonRequest('mixed', [jsonSpan(), jsonSpan({ startMs: 1000 }), jsonSpan({ traceId: 'zz' })]);
  const { result, discards } = await measured(telltale, () => post(telltale, body, asJson));
  assert.equal(result.status, 200);
  assert.equal(JSON.parse(result.bytes.toString()).partialSuccess.rejectedSpans, '2');
  assert.deepEqual(discards, { 'otlp_traces/invalid_span': 1, 'otlp_traces/out_of_window': 1 });
  assert.equal(await callCount(telltale, 'mixed'), 1);
});

test('the same batch sent twice is 200 both times and stored once', async (t) => {
  const telltale = await start(t);
  const body = jsonRequest('twice', [jsonSpan(), jsonSpan(), jsonSpan(), jsonSpan()]);
  await assertAccepted(telltale, 'twice', body, asJson, 4);
  await assertAccepted(telltale, 'twice', body, asJson, 4);
  const proto = await protobufRequest('twice-proto', 3);
  await assertAccepted(telltale, 'twice-proto', proto, { 'content-type': PROTOBUF }, 3);
  const again = await post(telltale, proto, { 'content-type': PROTOBUF });
  assert.equal(again.status, 200);
  assert.equal(await callCount(telltale, 'twice-proto'), 3);
});

test('HTML and script in span names and attributes are stored verbatim and served only as JSON data', async (t) => {
  const telltale = await start(t);
  const traceId = newTraceId();
  const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&';
  const span = jsonSpan({ traceId, spanId: newSpanId(), name: `GET ${hostile}`, attributes: { 'http.request.method': 'GET', 'http.route': `/x/${hostile}`, note: hostile } });
  await assertAccepted(telltale, 'html', jsonRequest('html', [span]), asJson, 1);
  const response = await fetch(`${telltale.url}/api/v1/traces/${traceId}`, { headers: { authorization: `Bearer ${telltale.tokens.read}` } });
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  const trace = await response.json() as { spans: { name: string; attributes: Record<string, unknown> }[] };
  assert.equal(trace.spans[0]!.name, `GET ${hostile}`);
  assert.equal(trace.spans[0]!.attributes.note, hostile);
  // The dashboard renders these through React text nodes only: no raw HTML insertion anywhere.
  const sources = readdirSync('dashboard/src', { recursive: true, encoding: 'utf8' }).filter((f) => /\.tsx?$/.test(f));
  // The one exception renders runbook Markdown the server sanitized (alerts/runbooks/markdown.ts), never telemetry.
  for (const file of sources.filter((f) => !f.endsWith('runbook-body.tsx'))) {
    const text = readFileSync(`dashboard/src/${file}`, 'utf8');
    assert.doesNotMatch(text, /dangerouslySetInnerHTML|\.innerHTML\s*=|insertAdjacentHTML|document\.write/, `dashboard/src/${file} inserts raw HTML`);
  }
});
