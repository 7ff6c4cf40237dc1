import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addCall, emptyAggregate } from '../../store/aggregate.ts';
import type { Aggregate, ApiCall } from '../../store/types.ts';
import {
  evaluateCheckFailing, evaluateErrorRate, evaluateLatency, evaluateNoData, formatPercent,
} from '../../alerts/index.ts';

const T0 = Date.UTC(2026, 0, 5, 3, 0, 0);

/** An aggregate of calls given as [statusCode, durationMs] pairs. */
function aggregateOf(calls: readonly [number, number | null][]): Aggregate {
  const agg = emptyAggregate();
  calls.forEach(([statusCode, durationMs], i) => {
    const call: ApiCall = {
      id: `c${i}`, timeUnixMs: T0 + i, service: 'checkout', method: 'POST', route: '/orders',
      statusCode, durationMs, source: 'trace', traceId: null, spanId: null, consumer: null, error: statusCode >= 500,
    };
    addCall(agg, call);
  });
  return agg;
}

const many = (n: number, status: number, ms: number | null = 10): [number, number | null][] => Array.from({ length: n }, () => [status, ms]);

void test('error_rate: 5xx over calls against the threshold, with the summary an email subject uses', () => {
  // 1000 calls: 124 server errors, 50 client errors → 12.4% (4xx not counted).
  const agg = aggregateOf([...many(826, 200), ...many(124, 503), ...many(50, 404)]);
  const r = evaluateErrorRate(agg, { threshold: 0.05, minCalls: 20 });
  assert.equal(r.active, true);
  assert.equal(r.value, 0.124);
  assert.equal(r.summary, 'error rate 12.4% > 5%');
  const ok = evaluateErrorRate(agg, { threshold: 0.2, minCalls: 20 });
  assert.equal(ok.active, false);
  assert.equal(ok.summary, 'error rate 12.4% ≤ 20%');
});

void test('error_rate: include4xx counts client errors too', () => {
  const agg = aggregateOf([...many(826, 200), ...many(124, 503), ...many(50, 404)]);
  const r = evaluateErrorRate(agg, { threshold: 0.15, minCalls: 20, include4xx: true });
  assert.equal(r.active, true);
  assert.equal(r.value, 0.174);
  assert.equal(r.summary, 'error rate (4xx+5xx) 17.4% > 15%');
});

void test('error_rate: below the minimum call count one failed call at night does not fire', () => {
  const agg = aggregateOf([[500, 10], [200, 10]]);
  const r = evaluateErrorRate(agg, { threshold: 0.05, minCalls: 20 });
  assert.equal(r.active, false);
  assert.equal(r.value, 0.5);
  assert.match(r.summary, /2 calls < 20 minimum/);
  const empty = evaluateErrorRate(emptyAggregate(), { threshold: 0.05, minCalls: 0 });
  assert.deepEqual([empty.active, empty.value], [false, 0]);
});

void test('error_rate: exactly at the threshold does not fire (strictly above, like `>` in PromQL)', () => {
  const agg = aggregateOf([...many(95, 200), ...many(5, 500)]);
  assert.equal(evaluateErrorRate(agg, { threshold: 0.05, minCalls: 1 }).active, false);
});

void test('latency: the chosen percentile against the threshold, within the sketch accuracy', () => {
  // 1..1000 ms: p99 is 990 ms and p50 500 ms within the sketch's 1% relative error.
  const agg = aggregateOf(Array.from({ length: 1000 }, (_, i) => [200, i + 1] as [number, number]));
  const p99 = evaluateLatency(agg, { percentile: 'p99', thresholdMs: 500 });
  assert.equal(p99.active, true);
  assert.ok(Math.abs(p99.value - 990) / 990 < 0.01, String(p99.value));
  assert.match(p99.summary, /^p99 latency 9\d\d ms > 500 ms$/);
  const p50 = evaluateLatency(agg, { percentile: 'p50', thresholdMs: 600 });
  assert.equal(p50.active, false);
  assert.ok(Math.abs(p50.value - 500) / 500 < 0.01);
  const p999 = evaluateLatency(agg, { percentile: 'p99.9', thresholdMs: 900 });
  assert.equal(p999.active, true);
  assert.match(evaluateLatency(aggregateOf([[200, 2500]]), { percentile: 'p95', thresholdMs: 1000 }).summary, /^p95 latency 2\.5 s > 1 s$/);
});

void test('latency: no timed calls (or fewer than minCalls) never fires; that silence is no_data\'s job', () => {
  const untimed = aggregateOf(many(10, 200, null));
  const r = evaluateLatency(untimed, { percentile: 'p99', thresholdMs: 1 });
  assert.equal(r.active, false);
  assert.ok(Number.isNaN(r.value));
  const few = aggregateOf(many(3, 200, 5000));
  assert.equal(evaluateLatency(few, { percentile: 'p99', thresholdMs: 1, minCalls: 10 }).active, false);
});

void test('no_data: calls below the floor fire, at or above it do not', () => {
  assert.deepEqual(evaluateNoData(emptyAggregate(), {}), { active: true, value: 0, summary: '0 calls < 1 expected in the window' });
  const some = aggregateOf(many(9, 200));
  assert.equal(evaluateNoData(some, { minCalls: 10 }).active, true);
  assert.equal(evaluateNoData(some, { minCalls: 9 }).active, false);
  assert.equal(evaluateNoData(some, {}).summary, '9 calls ≥ 1 expected in the window');
});

void test('check_failing: counts the newest consecutive failures, whatever order runs arrive in', () => {
  const runs = [
    { startedAtMs: T0 + 4, ok: false }, { startedAtMs: T0 + 1, ok: false }, { startedAtMs: T0 + 3, ok: false },
    { startedAtMs: T0 + 2, ok: true }, { startedAtMs: T0 + 5, ok: false },
  ];
  const r = evaluateCheckFailing(runs, { consecutiveFailures: 3 });
  assert.deepEqual(r, { active: true, value: 3, summary: '3 consecutive failed runs ≥ 3' });
  assert.equal(evaluateCheckFailing(runs, { consecutiveFailures: 4 }).active, false);
  const recovered = [...runs, { startedAtMs: T0 + 6, ok: true }];
  assert.deepEqual([evaluateCheckFailing(recovered, { consecutiveFailures: 1 }).active, evaluateCheckFailing(recovered, { consecutiveFailures: 1 }).value], [false, 0]);
  assert.equal(evaluateCheckFailing([], { consecutiveFailures: 1 }).active, false);
});

void test('formatPercent keeps small ratios readable', () => {
  assert.deepEqual([0.124, 0.05, 0.001, 0.0125, 1, 0].map(formatPercent), ['12.4%', '5%', '0.1%', '1.3%', '100%', '0%']);
});
