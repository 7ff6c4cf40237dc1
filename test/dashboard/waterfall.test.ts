// Waterfall layout: bars placed by offset and duration, tiny spans still visible, collapsed
// subtrees hidden, one colour per service, readable ticks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MIN_BAR_PCT, SERVICE_COLORS, isErrorSpan, layoutWaterfall, nanosToMs, sortedEntries, spanKindName, tickStepMs, type WaterfallSpanInput } from '../../dashboard/src/lib/waterfall.ts';

const span = (spanId: string, parentSpanId: string | null, depth: number, offsetMs: number, durationMs: number, service = 'shop', statusCode = 0): WaterfallSpanInput =>
  ({ spanId, parentSpanId, depth, offsetMs, durationMs, service, statusCode, name: spanId });

// root ─┬─ db
//       └─ pay ── card
const trace = [span('root', null, 0, 0, 200), span('db', 'root', 1, 10, 50), span('pay', 'root', 1, 70, 120, 'payments'), span('card', 'pay', 2, 80, 100, 'payments', 2)];

test('bars are placed at offset/duration as percentages of the trace', () => {
  const { rows, totalMs } = layoutWaterfall(trace, 200);
  assert.equal(totalMs, 200);
  assert.deepEqual(rows.map((r) => [r.span.spanId, r.leftPct, r.widthPct]), [['root', 0, 100], ['db', 5, 25], ['pay', 35, 60], ['card', 40, 50]]);
  assert.deepEqual(rows.map((r) => r.childCount), [2, 0, 1, 0]);
});

test('a child that ends after the trace (clock skew) widens the scale instead of overflowing', () => {
  const { rows, totalMs } = layoutWaterfall([span('root', null, 0, 0, 100), span('late', 'root', 1, 90, 60)], 100);
  assert.equal(totalMs, 150);
  for (const r of rows) assert.ok(r.leftPct + r.widthPct <= 100 + 1e-9);
});

test('a 1 µs span still gets a visible bar that stays inside the track', () => {
  const { rows } = layoutWaterfall([span('root', null, 0, 0, 1000), span('tiny', 'root', 1, 1000, 0.001)], 1000);
  const tiny = rows[1]!;
  assert.equal(tiny.widthPct, MIN_BAR_PCT);
  assert.ok(tiny.leftPct + tiny.widthPct <= 100);
});

test('a zero-length trace draws full-width bars rather than dividing by zero', () => {
  const { rows, ticks } = layoutWaterfall([span('only', null, 0, 0, 0)], 0);
  assert.equal(rows[0]!.widthPct, 100);
  assert.equal(rows[0]!.leftPct, 0);
  assert.deepEqual(ticks, []);
});

test('collapsing a span hides its whole subtree and nothing after it', () => {
  assert.deepEqual(layoutWaterfall(trace, 200, new Set(['pay'])).rows.map((r) => r.span.spanId), ['root', 'db', 'pay']);
  assert.deepEqual(layoutWaterfall(trace, 200, new Set(['root'])).rows.map((r) => r.span.spanId), ['root']);
  const collapsedLeaf = layoutWaterfall(trace, 200, new Set(['db']));
  assert.equal(collapsedLeaf.rows.length, 4, 'a leaf has nothing to hide');
  assert.equal(collapsedLeaf.rows[1]!.collapsed, false);
  assert.equal(layoutWaterfall(trace, 200, new Set(['pay'])).rows[2]!.collapsed, true);
});

test('services get colours in order of appearance; errors are marked', () => {
  const layout = layoutWaterfall(trace, 200);
  assert.deepEqual(layout.services, [{ service: 'shop', colorIndex: 0 }, { service: 'payments', colorIndex: 1 }]);
  assert.deepEqual(layout.rows.map((r) => r.error), [false, false, false, true]);
  const many = Array.from({ length: SERVICE_COLORS + 2 }, (_, i) => span(`s${i}`, null, 0, 0, 1, `svc-${i}`));
  assert.equal(layoutWaterfall(many, 1).services.at(-1)?.colorIndex, 1, 'colours repeat after the palette');
});

test('an HTTP 5xx on a span is an error even when the status was left unset', () => {
  assert.equal(isErrorSpan({ ...span('a', null, 0, 0, 1), attributes: { 'http.response.status_code': 503 } }), true);
  assert.equal(isErrorSpan({ ...span('a', null, 0, 0, 1), attributes: { 'http.status_code': '502' } }), true);
  assert.equal(isErrorSpan({ ...span('a', null, 0, 0, 1), attributes: { 'http.response.status_code': 404 } }), false);
});

test('ticks step by 1, 2 or 5 × 10^k and are labelled in the latency format', () => {
  assert.equal(tickStepMs(200), 50);
  assert.equal(tickStepMs(4920), 1000);
  assert.equal(tickStepMs(0.9), 0.2);
  const { ticks } = layoutWaterfall(trace, 200);
  assert.deepEqual(ticks.map((t) => t.label), ['0 ms', '50.0 ms', '100 ms', '150 ms', '200 ms']);
  assert.deepEqual(ticks.map((t) => t.pct), [0, 25, 50, 75, 100]);
});

test('nanosecond strings, span kinds and sorted attributes', () => {
  assert.equal(nanosToMs('1764151200123456789'), 1764151200123.456);
  assert.equal(nanosToMs('999'), 0);
  assert.ok(Number.isNaN(nanosToMs('-1')));
  assert.equal(spanKindName(3), 'client');
  assert.equal(spanKindName(9), 'kind 9');
  assert.deepEqual(sortedEntries({ b: 1, a: 2 }), [['a', 2], ['b', 1]]);
});
